import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { encodeCheckpoint, exportForWeb } from '@forger/core';
import type { Checkpoint, DType, ModelSpec } from '@forger/core';
import { acganSpec, buildGan, dcganSpec, improvedGanSpec, radfordDcganSpec, ssganSpec, vanillaSpec } from '@forger/models';

export { acganSpec, dcganSpec, improvedGanSpec, radfordDcganSpec, ssganSpec, vanillaSpec };

/**
 * An untrained checkpoint in the real file format, for browser tests and
 * benchmarks that need a file, not a good model: sampling speed and backend
 * agreement do not depend on the weights. `webDType` makes a generator-only
 * web export (what the demo ships); without it the file keeps the discriminator.
 */
export async function makeCheckpoint(spec: ModelSpec, opts: { seed: number; webDType?: DType; note?: string }): Promise<Uint8Array> {
  tf.env().set('IS_TEST', true); // no "install tfjs-node" banner
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  const { generator, discriminator } = buildGan(spec, opts.seed);
  try {
    const checkpoint: Checkpoint = {
      spec,
      generator: generator.toCheckpointTensors(),
      discriminator: discriminator.toCheckpointTensors(),
      provenance: {
        createdAt: new Date(0).toISOString(),
        forgerVersion: '0.1.0',
        backend: 'cpu',
        dataset: 'mnist',
        metrics: {},
        note: opts.note ?? `untrained fixture, seed ${opts.seed}`,
      },
    };
    return encodeCheckpoint(opts.webDType ? exportForWeb(checkpoint, { dtype: opts.webDType }) : checkpoint);
  } finally {
    generator.dispose();
    discriminator.dispose();
  }
}
