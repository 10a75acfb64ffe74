// Small, valid checkpoints of every model family for the codec tests. The
// tensors have the shapes their layers imply, with seeded random values.
import { float32ToCheckpointTensor } from '../checkpoint/tensor.js';
import type { Checkpoint, CheckpointTensor, DType, ModelFamily, ModelSpec, TrainingState } from '../checkpoint/types.js';
import { Rng } from '../rng.js';

export function randomTensor(rng: Rng, name: string, shape: number[], dtype: DType = 'float32', quantAxis?: number): CheckpointTensor {
  const values = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, 0.05);
  return float32ToCheckpointTensor(name, shape, values, dtype, quantAxis === undefined ? {} : { quantAxis });
}

export function smallSpec(family: ModelFamily): ModelSpec {
  const image = { height: 4, width: 4, channels: 1 };
  const classes = family === 'ssgan' || family === 'classifier' || family === 'acgan' ? 3 : 0;
  const discriminatorLayers: ModelSpec['discriminatorLayers'] = [
    { kind: 'conv2d', name: 'd_conv_1', units: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'leaky_relu', rate: 0.2, useBias: true },
    { kind: 'dropout', name: 'd_dropout_1', rate: 0.3 },
    { kind: 'flatten', name: 'd_flatten' },
    { kind: 'dense', name: 'd_out', units: classes === 0 ? 1 : classes + (family === 'ssgan' || family === 'acgan' ? 1 : 0), activation: 'linear', useBias: true },
  ];
  const generatorLayers: ModelSpec['generatorLayers'] =
    family === 'classifier'
      ? []
      : family === 'vanilla'
        ? [
            { kind: 'dense', name: 'g_dense_1', units: 8, activation: 'relu', useBias: true },
            { kind: 'dense', name: 'g_dense_2', units: 16, activation: 'sigmoid', useBias: true },
            { kind: 'reshape', name: 'g_reshape', targetShape: [4, 4, 1] },
          ]
        : [
            { kind: 'dense', name: 'g_dense_1', units: 8, useBias: true },
            { kind: 'batch-norm', name: 'g_bn_1', epsilon: 0.001, momentum: 0.99 },
            { kind: 'activation', name: 'g_relu_1', activation: 'relu' },
            { kind: 'reshape', name: 'g_reshape', targetShape: [2, 2, 2] },
            { kind: 'upsample', name: 'g_up', kernelSize: 2 },
            { kind: 'conv2d-transpose', name: 'g_deconv', units: 1, kernelSize: 3, strides: 1, padding: 'same', activation: 'tanh', useBias: true },
          ];
  return {
    family,
    variant: { vanilla: 'tf-mlp', dcgan: 'keras-dcgan', ssgan: 'ssgan-tensorflow', classifier: 'baseline', acgan: 'mlp' }[family],
    latentDim: family === 'classifier' ? 0 : 5,
    latentPrior: family === 'vanilla' ? 'uniform' : 'normal',
    image,
    pixelRange: family === 'vanilla' ? 'zero-one' : 'minus-one-one',
    numClasses: classes,
    generatorLayers,
    discriminatorLayers,
    classNames: classes === 0 ? [] : ['zero', 'one', 'two'],
  };
}

function generatorTensors(rng: Rng, family: ModelFamily, dtype: DType): CheckpointTensor[] {
  if (family === 'classifier') return [];
  if (family === 'vanilla') {
    return [
      randomTensor(rng, 'g_dense_1/kernel', [5, 8], dtype),
      randomTensor(rng, 'g_dense_1/bias', [8]),
      randomTensor(rng, 'g_dense_2/kernel', [8, 16], dtype, dtype === 'int8' ? 1 : undefined),
      randomTensor(rng, 'g_dense_2/bias', [16]),
    ];
  }
  return [
    // an acgan generator reads z (5) followed by the one-hot class (3)
    randomTensor(rng, 'g_dense_1/kernel', [family === 'acgan' ? 8 : 5, 8], dtype),
    randomTensor(rng, 'g_dense_1/bias', [8]),
    randomTensor(rng, 'g_bn_1/gamma', [8]),
    randomTensor(rng, 'g_bn_1/beta', [8]),
    randomTensor(rng, 'g_bn_1/moving_mean', [8]),
    randomTensor(rng, 'g_bn_1/moving_variance', [8]),
    randomTensor(rng, 'g_deconv/kernel', [3, 3, 1, 2], dtype, dtype === 'int8' ? 2 : undefined),
    randomTensor(rng, 'g_deconv/bias', [1]),
  ];
}

function discriminatorTensors(rng: Rng, spec: ModelSpec, dtype: DType): CheckpointTensor[] {
  const out = spec.discriminatorLayers.find((l) => l.name === 'd_out')!.units!;
  return [
    randomTensor(rng, 'd_conv_1/kernel', [3, 3, 1, 2], dtype),
    randomTensor(rng, 'd_conv_1/bias', [2]),
    randomTensor(rng, 'd_out/kernel', [8, out], dtype),
    randomTensor(rng, 'd_out/bias', [out]),
  ];
}

function trainingState(rng: Rng, c: Checkpoint): TrainingState {
  const adam = (network: string, tensors: CheckpointTensor[]) => ({
    network,
    kind: 'adam',
    iterations: 1234,
    hyper: { learning_rate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 },
    slots: tensors.flatMap((t) => [randomTensor(rng, `${t.name}/m`, t.shape), randomTensor(rng, `${t.name}/v`, t.shape)]),
  });
  const optimizers = [adam('discriminator', c.discriminator)];
  if (c.generator.length > 0) optimizers.push(adam('generator', c.generator));
  return {
    step: 1234,
    epoch: 2,
    optimizers,
    rng: Rng.fromSeed(77).state(),
    data: { dataset: 'mnist', split: 'train', shuffleSeed: 2 ** 40 + 3, epoch: 2, nextIndex: 4096 },
    configJson: JSON.stringify({ batchSize: 64, epochs: 5 }),
    extra: [randomTensor(rng, 'fixed_noise', [4, 5])],
  };
}

/** A valid checkpoint of `family` whose weight matrices are stored as `dtype`. */
export function smallCheckpoint(family: ModelFamily, opts: { dtype?: DType; training?: boolean; seed?: number } = {}): Checkpoint {
  const rng = Rng.fromSeed(opts.seed ?? 1);
  const dtype = opts.dtype ?? 'float32';
  const spec = smallSpec(family);
  const c: Checkpoint = {
    spec,
    generator: generatorTensors(rng, family, dtype),
    discriminator: discriminatorTensors(rng, spec, dtype),
    provenance: {
      createdAt: '2026-11-26T23:00:00Z',
      forgerVersion: '0.1.0',
      backend: 'cpu',
      dataset: 'mnist',
      metrics: { d_loss: 0.693, g_loss: 1.25, images_per_second: 1500 },
      note: 'forger train --family ' + family,
    },
  };
  if (opts.training) c.training = trainingState(rng, c);
  return c;
}
