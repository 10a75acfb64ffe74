import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { Rng, type ModelSpec } from '@forger/core';
import { encodeIdx, toUint8Images } from '@forger/data';
import { GENERATOR_NOISE_STREAM, checkModelCheckpoint, cyclingLabels, describeClasses, ganFromCheckpoint, generateInChunks, isConditional, sampleLatent, type Network } from '@forger/models';
import type { BackendChoice } from '../backends/index.js';
import { writeFileAtomic } from '../run/atomic-write.js';
import { RunError } from '../run/run-error.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { classColumns, writeSampleGrid } from '../run/sample-png.js';
import { UsageError } from '../run/usage-error.js';
import { startBackend } from '../run/start-backend.js';
import { createTaskProgress, type TaskProgress } from '../run/task-progress.js';
import { backendOption, wasmThreadsOption } from './backend-option.js';
import { CHECKPOINT_INPUT, addCheckpointInput, checkpointPathOf } from './checkpoint-input.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { requireInputs } from './required-flags.js';
import { checkDrawableChannels, checkGenerateCount } from '../run/usage-limits.js';
import { nonNegativeInteger, positiveInteger, seed } from './value-parsers.js';

/** keras-dcgan's `generate --nice`: draw 20 × N images and keep the N the discriminator rates most real. */
export const NICE_OVERSAMPLING = 20;
/** Images per generator call: bounds memory when --nice draws thousands. */
const CHUNK = 256;
/** From this many images drawn (a few seconds on wasm) generate shows its progress. */
export const GENERATE_PROGRESS_FROM = 1000;

/** `forger generate <checkpoint>` alone: a grid of 64 (8 × 8) samples beside the checkpoint. */
export const DEFAULT_GENERATE_COUNT = 64;
export const DEFAULT_GENERATE_FILE = 'generated.png';

interface GenerateFlags {
  checkpoint?: string;
  count: number;
  out?: string;
  idx?: string;
  seed: number;
  nice?: boolean;
  class?: number;
  backend: BackendChoice;
  wasmThreads?: number;
}

export function generateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('generate').description("draw samples from a checkpoint's generator into a PNG grid (and optionally an IDX file)");
  return addCheckpointInput(command, 'a .forger file (a web export will do, except with --nice)')
    .option('--count <n>', 'images to draw', positiveInteger, DEFAULT_GENERATE_COUNT)
    .option('--out <file.png>', `the grid PNG to write (default: ${DEFAULT_GENERATE_FILE} in the checkpoint's folder)`)
    .option('--idx <file>', 'also write the images as an IDX file (unsigned bytes, N×H×W or N×H×W×C); .gz to gzip')
    .option('--seed <n>', 'seed of the latent noise', seed, 0)
    .option('--nice', `keras-dcgan's mode: draw ${NICE_OVERSAMPLING}×N, keep the N the discriminator rates most real`)
    .option('--class <k>', 'conditional (acgan) checkpoints: draw only class k (default: one column per class)', nonNegativeInteger)
    .addOption(backendOption('auto'))
    .addOption(wasmThreadsOption())
    .action(async (positional: string | undefined, flags: GenerateFlags) => {
      const path = checkpointPathOf(positional, flags.checkpoint);
      requireInputs([[CHECKPOINT_INPUT, path]]);
      const checkpointPath = path!;
      const out = flags.out ?? join(dirname(checkpointPath), DEFAULT_GENERATE_FILE);
      const checkpoint = (await readCheckpointFile(checkpointPath)).checkpoint;
      if (flags.nice && checkpoint.discriminator.length === 0) {
        throw new RunError('bad-data', `--nice ranks samples with the discriminator, and ${checkpointPath} has none (a generator-only web export?): use a training checkpoint`, { where: checkpointPath }
        );
      }
      // Before any backend starts: shapes, activation memory and finite weights, from the file alone (issue 18).
      checkModelCheckpoint(checkpoint);
      checkClassFlag(checkpoint.spec, flags.class, checkpointPath);
      checkDrawableChannels(checkpoint.spec.image, checkpointPath, checkpointPath);
      checkGenerateCount(flags.count, flags.nice ? NICE_OVERSAMPLING : 1, checkpoint.spec.image, checkpoint.spec.latentDim);
      await startBackend(flags.backend, io, (line) => io.stderr.write(`${line}\n`), flags.wasmThreads);
      const { spec } = checkpoint;
      const nets = ganFromCheckpoint(checkpoint);
      try {
        const drawn = flags.nice ? flags.count * NICE_OVERSAMPLING : flags.count;
        const z = sampleLatent(spec, drawn, Rng.fromSeed(flags.seed));
        const labels = isConditional(spec) ? (flags.class === undefined ? cyclingLabels(spec, drawn) : new Int32Array(drawn).fill(flags.class)) : undefined;
        const progress = drawn >= GENERATE_PROGRESS_FROM
          ? createTaskProgress({ label: 'generating', total: drawn, unit: 'images', stream: io.stderr })
          : undefined;
        let images: Float32Array;
        try {
          const noiseRng = Rng.fromSeed(flags.seed).derive(GENERATOR_NOISE_STREAM);
          images = await generateImages(nets.generator, spec, z, labels, noiseRng, flags.nice ? nets.discriminator : undefined, flags.count, progress);
        } finally {
          progress?.stop();
        }
        const shape = { count: flags.count, ...spec.image };
        // one column per class when the classes cycle (and --nice has not reordered them)
        const cols = isConditional(spec) && flags.class === undefined && !flags.nice ? classColumns(spec) : undefined;
        const grid = await writeSampleGrid(out, images, shape, spec.pixelRange, cols);
        const what = !isConditional(spec) ? '' : flags.class !== undefined ? ` of ${classText(spec, flags.class)}` : flags.nice ? ` of classes ${describeClasses(spec)}` : `, one column per class (${describeClasses(spec)})`;
        io.stdout.write(`wrote ${flags.count} samples${what} to ${out} (${grid.width}×${grid.height})\n`);
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

/**
 * G(z) for every latent vector; with a discriminator (--nice), each chunk is also rated by it and only the `keep`
 * images it finds most real are returned, most real first (keras-dcgan sorts the same way).
 */
async function generateImages(
  generator: Network, spec: ModelSpec, z: Float32Array, labels: Int32Array | undefined, noiseRng: Rng, discriminator: Network | undefined, keep: number, progress?: TaskProgress,
): Promise<Float32Array> {
  const { height, width, channels } = spec.image;
  const perImage = height * width * channels;
  const count = z.length / spec.latentDim;
  const images = new Float32Array(count * perImage);
  const scores = new Float32Array(count);
  for await (const chunk of generateInChunks(generator, spec, z, { chunkSize: CHUNK, noiseRng, ...(discriminator ? { discriminator } : {}), ...(labels ? { labels } : {}) })) {
    images.set(chunk.images, chunk.start * perImage);
    if (chunk.scores) scores.set(chunk.scores, chunk.start);
    progress?.advance(chunk.count);
  }
  if (!discriminator) return images;
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

/** --class on a checkpoint that cannot draw it is a usage error (exit 2) naming the classes it can draw, if any. */
function checkClassFlag(spec: ModelSpec, k: number | undefined, where: string): void {
  if (k === undefined) return;
  if (!isConditional(spec)) {
    throw new UsageError('usage', `--class needs a conditional (acgan) checkpoint; ${where} is an unconditional ${spec.family} model, which draws no given class`, { where: '--class' });
  }
  if (k >= spec.numClasses) {
    throw new UsageError('usage', `--class ${k} is not one of ${where}'s classes: ${describeClasses(spec)}`, { where: '--class' });
  }
}

/** "class 7", or "class 3 (cat)" where the class has a name other than its number. */
function classText(spec: ModelSpec, k: number): string {
  const name = spec.classNames[k];
  return name === undefined || name === String(k) ? `class ${k}` : `class ${k} (${name})`;
}
