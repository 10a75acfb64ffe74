import * as tf from '@tensorflow/tfjs-core';

/**
 * keras-dcgan (MNIST) written directly in tf ops, for checking and benchmarking the training kernels
 * without depending on @forger/models: G Dense 1024 tanh → Dense 128·7·7 + BatchNorm + tanh → 7×7×128 →
 * UpSampling 2 → Conv 64 5×5 same tanh → UpSampling 2 → Conv 1 5×5 same tanh; D Conv 64 5×5 same tanh →
 * MaxPool 2 → Conv 128 5×5 valid tanh → MaxPool 2 → Dense 1024 tanh → Dense 1 (logit).
 * Weights are seeded, so every backend builds the same network.
 */
export interface KerasDcganReference {
  generator(z: tf.Tensor2D): tf.Tensor4D;
  discriminatorLogits(images: tf.Tensor4D): tf.Tensor2D;
  generatorVariables: tf.Variable[];
  discriminatorVariables: tf.Variable[];
  dispose(): void;
}

export function kerasDcganReference(seed = 11): KerasDcganReference {
  let next = seed;
  const v = (shape: number[], scale: number) => tf.variable(tf.randomUniform(shape, -scale, scale, 'float32', next++));
  const g = {
    dense1: v([100, 1024], 0.1), bias1: v([1024], 0.01), dense2: v([1024, 6272], 0.03), bias2: v([6272], 0.01),
    gamma: v([6272], 0.1), beta: v([6272], 0.01), conv1: v([5, 5, 128, 64], 0.03), convBias1: v([64], 0.01),
    conv2: v([5, 5, 64, 1], 0.03), convBias2: v([1], 0.01),
  };
  const d = {
    conv1: v([5, 5, 1, 64], 0.2), convBias1: v([64], 0.01), conv2: v([5, 5, 64, 128], 0.03), convBias2: v([128], 0.01),
    dense1: v([3200, 1024], 0.03), bias1: v([1024], 0.01), dense2: v([1024, 1], 0.05), bias2: v([1], 0.01),
  };
  return {
    generator(z) {
      let h = tf.tanh(tf.add(tf.matMul(z, g.dense1), g.bias1)) as tf.Tensor2D;
      h = tf.add(tf.matMul(h, g.dense2), g.bias2) as tf.Tensor2D;
      const { mean, variance } = tf.moments(h, 0);
      h = tf.tanh(tf.batchNorm(h, mean, variance, g.beta, g.gamma, 1e-3)) as tf.Tensor2D;
      let x = tf.reshape(h, [-1, 7, 7, 128]) as tf.Tensor4D;
      x = tf.image.resizeNearestNeighbor(x, [14, 14]);
      x = tf.tanh(tf.add(tf.conv2d(x, g.conv1 as tf.Tensor4D, 1, 'same'), g.convBias1)) as tf.Tensor4D;
      x = tf.image.resizeNearestNeighbor(x, [28, 28]);
      return tf.tanh(tf.add(tf.conv2d(x, g.conv2 as tf.Tensor4D, 1, 'same'), g.convBias2)) as tf.Tensor4D;
    },
    discriminatorLogits(images) {
      let h = tf.tanh(tf.add(tf.conv2d(images, d.conv1 as tf.Tensor4D, 1, 'same'), d.convBias1)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.tanh(tf.add(tf.conv2d(h, d.conv2 as tf.Tensor4D, 1, 'valid'), d.convBias2)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
      const f = tf.tanh(tf.add(tf.matMul(tf.reshape(h, [-1, 3200]) as tf.Tensor2D, d.dense1), d.bias1));
      return tf.add(tf.matMul(f, d.dense2), d.bias2) as tf.Tensor2D;
    },
    generatorVariables: Object.values(g),
    discriminatorVariables: Object.values(d),
    dispose() {
      tf.dispose([...Object.values(g), ...Object.values(d)]);
    },
  };
}
