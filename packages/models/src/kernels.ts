// '@forger/models/kernels': the contract between the networks and Forger's kernels (@forger/kernels): the names
// and attributes of the optional one-kernel forms the layers and losses run where a backend registers them, the
// reference of each (what a kernel must compute), and the hash the random-noise kernel reproduces.
export { activateWithOutputGradient, activationGradient, type OutputDifferentiable } from './network/activation-gradient.js';
export { ACTIVATION_GRAD_KERNEL, SIGMOID_CROSS_ENTROPY_KERNEL, SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, MOVING_AVERAGE_KERNEL, MOMENTS_KERNEL, BATCH_NORM_GRAD_KERNEL, CHANNEL_SUM_KERNEL, SUM_OF_SQUARES_KERNEL, SUM_OF_SQUARES_MOST_INPUTS, SUM_OF_SQUARES_PARTS, CONV_KERNEL, MATMUL_KERNEL, RANDOM_NOISE_KERNEL, hasForgerKernel } from './network/forger-kernels.js';
export { applyRandomNoise, noiseBits, noiseSecondKey, noiseValues, unitOf, type RandomNoiseAttrs } from './network/random-noise.js';
export { choiceFlag } from './network/choice-flag.js';
