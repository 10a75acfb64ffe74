import * as tf from '@tensorflow/tfjs-core';

/**
 * Feature matching (Salimans et al. 2016, §3.1): instead of fooling D's
 * output, G matches the mean of D's intermediate features on real data,
 * ‖E f(x) − E f(G(z))‖². As in the paper's code (openai/improved-gan,
 * train_mnist_feature_matching.py: `T.mean(T.square(mom_gen - mom_real))`),
 * the squared difference is averaged over features.
 */
export function featureMatchingLoss(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  const flatReal = tf.reshape(realFeatures, [realFeatures.shape[0]!, -1]);
  const flatFake = tf.reshape(fakeFeatures, [fakeFeatures.shape[0]!, -1]);
  return tf.mean(tf.square(tf.sub(tf.mean(flatReal, 0), tf.mean(flatFake, 0))));
}
