import { Command, Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ModelSpec } from '@forger/core';
import { encodeIdx, toUint8Images } from '@forger/data';
import { discriminatorScores, ganFromCheckpoint, generate, sampleLatent, type Network } from '@forger/models';
import { prepareBackend } from '../backends/index.js';
import { writeFileAtomic } from '../run/atomic-write.js';
import { RunError } from '../run/run-error.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { writeSampleGrid } from '../run/sample-png.js';
import type { BackendChoice } from '../run/train-config.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { checkDrawableChannels, checkGenerateCount } from './usage-limits.js';
import { BACKENDS } from './train-flags.js';
import { positiveInteger, seed } from './value-parsers.js';

/** keras-dcgan's `generate --nice`: draw 20 × N images and keep the N the discriminator rates most real. */
export const NICE_OVERSAMPLING = 20;
/** Images per generator call: bounds memory when --nice draws thousands. */
const CHUNK = 256;

interface GenerateFlags {
  checkpoint: string;
  count: number;
  out: string;
  idx?: string;
  seed: number;
  nice?: boolean;
  backend: BackendChoice;
}

export function generateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('generate')
    .description('draw samples from a checkpoint\'s generator into a PNG grid (and optionally an IDX file)')
    .requiredOption('--checkpoint <file>', 'a .forger file (a web export will do, except with --nice)')
    .requiredOption('--count <n>', 'images to draw', positiveInteger)
    .requiredOption('--out <file.png>', 'the grid PNG to write')
    .option('--idx <file>', 'also write the images as an IDX file (unsigned bytes, N×H×W or N×H×W×C); .gz to gzip')
    .option('--seed <n>', 'seed of the latent noise', seed, 0)
    .option('--nice', `keras-dcgan's mode: draw ${NICE_OVERSAMPLING}×N, keep the N the discriminator rates most real`)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKENDS).default('auto'))
    .action(async (flags: GenerateFlags) => {
      const checkpoint = (await readCheckpointFile(flags.checkpoint)).checkpoint;
      if (flags.nice && checkpoint.discriminator.length === 0) {
        throw new RunError('bad-data', `--nice ranks samples with the discriminator, and ${flags.checkpoint} has none (a generator-only web export?): use a training checkpoint`, { where: flags.checkpoint }
        );
      }
      checkDrawableChannels(checkpoint.spec.image, flags.checkpoint, flags.checkpoint);
      checkGenerateCount(flags.count, flags.nice ? NICE_OVERSAMPLING : 1, checkpoint.spec.image, checkpoint.spec.latentDim);
      const backend = await prepareBackend(flags.backend, { log: (line) => io.stderr.write(`${line}\n`) });
      io.stderr.write(`${backend.description}\n`);
      const { spec } = checkpoint;
      const nets = ganFromCheckpoint(checkpoint);
      try {
        const drawn = flags.nice ? flags.count * NICE_OVERSAMPLING : flags.count;
        const z = sampleLatent(spec, drawn, Rng.fromSeed(flags.seed));
        let images = await generateImages(nets.generator, spec, z, drawn);
        if (flags.nice) images = await keepMostReal(nets.discriminator!, spec, images, drawn, flags.count);
        const shape = { count: flags.count, ...spec.image };
        const grid = await writeSampleGrid(flags.out, images, shape, spec.pixelRange);
        io.stdout.write(`wrote ${flags.count} samples to ${flags.out} (${grid.width}×${grid.height})\n`);
        if (flags.idx !== undefined) {
          const { height, width, channels } = spec.image;
          const dims = channels === 1 ? [flags.count, height, width] : [flags.count, height, width, channels];
          await writeFileAtomic(flags.idx, await maybeGzip(flags.idx, encodeIdx(dims, toUint8Images(images, spec.pixelRange))));
          io.stdout.write(`wrote ${flags.idx} (IDX, ${dims.join('×')} unsigned bytes)\n`);
        }
      } finally {
        nets.generator.dispose();
        nets.discriminator?.dispose();
      }
      setExitCode(ExitCode.ok);
    });
}

async function generateImages(generator: Network, spec: ModelSpec, z: Float32Array, count: number): Promise<Float32Array> {
  const { height, width, channels } = spec.image;
  const perImage = height * width * channels;
  const out = new Float32Array(count * perImage);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const batch = tf.tidy(() => generate(generator, tf.tensor2d(z.subarray(start * spec.latentDim, (start + n) * spec.latentDim), [n, spec.latentDim])));
    out.set((await batch.data()) as Float32Array, start * perImage);
    batch.dispose();
  }
  return out;
}

/** The `keep` images with the highest D(x), most real first (keras-dcgan sorts the same way). */
async function keepMostReal(discriminator: Network, spec: ModelSpec, images: Float32Array, count: number, keep: number): Promise<Float32Array> {
  const { height, width, channels } = spec.image;
  const perImage = height * width * channels;
  const scores = new Float32Array(count);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const batch = tf.tidy(() =>
      discriminatorScores(discriminator, tf.tensor4d(images.subarray(start * perImage, (start + n) * perImage), [n, height, width, channels]), spec),
    );
    scores.set((await batch.data()) as Float32Array, start);
    batch.dispose();
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const kept = new Float32Array(keep * perImage);
  for (let k = 0; k < keep; k++) kept.set(images.subarray(order[k]! * perImage, (order[k]! + 1) * perImage), k * perImage);
  return kept;
}

async function maybeGzip(path: string, bytes: Uint8Array): Promise<Uint8Array> {
  if (!path.endsWith('.gz')) return bytes;
  const { gzipSync } = await import('node:zlib');
  return gzipSync(bytes);
}
