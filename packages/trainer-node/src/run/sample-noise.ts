import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkpointTensorToFloat32, float32ToCheckpointTensor, type CheckpointTensor, type ImageShape, type ModelSpec } from '@forger/core';
import { GENERATOR_NOISE_STREAM, cyclingLabels, generate, generatorInput, isConditional, sampleLatent, type Network } from '@forger/models';

/** The name of the fixed noise in TrainingState.extra. */
export const SAMPLE_NOISE_TENSOR = 'sample_noise';
/** An 8×8 grid, as pytorch/examples dcgan saves. */
export const SAMPLE_GRID_COUNT = 64;

/**
 * The fixed latent vectors that every sample grid of a run is drawn from, so grids of successive steps show the same
 * "people" learning to look real. Kept in the checkpoint, so a resumed run keeps drawing the same ones.
 */
export class SampleNoise {
  private constructor(
    readonly values: Float32Array,
    readonly count: number,
    readonly latentDim: number,
  ) {}

  /** Its own stream of the run's seed: drawing it never shifts the training noise. */
  static draw(spec: ModelSpec, seed: number): SampleNoise {
    const values = sampleLatent(spec, SAMPLE_GRID_COUNT, Rng.fromSeed(seed).derive('sample-noise'));
    return new SampleNoise(values, SAMPLE_GRID_COUNT, spec.latentDim);
  }

  static fromCheckpoint(extra: CheckpointTensor[] | undefined): SampleNoise | undefined {
    const tensor = extra?.find((t) => t.name === SAMPLE_NOISE_TENSOR);
    if (!tensor || tensor.shape.length !== 2) return undefined;
    return new SampleNoise(checkpointTensorToFloat32(tensor), tensor.shape[0]!, tensor.shape[1]!);
  }

  /** The extra tensors that belong to the trainer (historical averages), without the noise and the data positions. */
  static withoutNoise(extra: CheckpointTensor[]): CheckpointTensor[] {
    return extra.filter((t) => t.name !== SAMPLE_NOISE_TENSOR);
  }

  toCheckpointTensor(): CheckpointTensor {
    return float32ToCheckpointTensor(SAMPLE_NOISE_TENSOR, [this.count, this.latentDim], this.values);
  }

  /**
   * G(z) for the fixed z, in inference mode, as NHWC floats in the spec's pixel range. A generator with sampling-time
   * dropout draws the same masks for every grid (a fixed seed), so grids differ only by training, like z. A conditional
   * generator draws image i as class i mod K, so a grid of K columns shows one class per column.
   */
  async generate(generator: Network, spec: ModelSpec): Promise<Float32Array> {
    const noiseRng = Rng.fromSeed(0).derive(GENERATOR_NOISE_STREAM);
    const images = tf.tidy(() => {
      const z = tf.tensor2d(this.values, [this.count, this.latentDim]);
      return generate(generator, isConditional(spec) ? generatorInput(spec, z, cyclingLabels(spec, this.count)) : z, noiseRng);
    });
    try {
      return (await images.data()) as Float32Array;
    } finally {
      images.dispose();
    }
  }

  shape(image: ImageShape): { count: number } & ImageShape {
    return { count: this.count, ...image };
  }
}
