import type { Rng } from '@forger/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../network/network.js';

/**
 * Every trainer's first step: a network with weight-normalised layers takes their scale and bias from the first
 * batch of real images it trains on, before any update (Salimans & Kingma 2016; improved-GAN's code uses 500
 * training images). A resumed run starts past step 0 and keeps its saved weights.
 */
export function initializeBeforeFirstStep(network: Network, stepsDone: number, images: tf.Tensor, rng: Rng | undefined): void {
  if (stepsDone === 0 && network.needsDataInitialization) network.initializeFromData(images, { rng });
}
