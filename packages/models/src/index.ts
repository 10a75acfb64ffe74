// @forger/models: the networks, losses and trainers. The contract Forger's kernels implement (kernel names,
// attributes, the noise hash) is '@forger/models/kernels'.
export { ModelError, type ModelErrorCode } from './errors.js';
export { Network, MAX_ACTIVATION_BYTES_PER_SAMPLE, type ApplyOptions } from './network/network.js';
export type { LayerKernel, ParameterSpec, Initializer, LayerContext } from './network/layer.js';
export { layerKernel } from './network/registry.js';
export { UPSAMPLE_CONV_FLAG, upsampleConvRoute, planSubPixelFold, type SubPixelFold, type UpsampleConvRoute } from './network/subpixel-fold.js';
export { checkModel, checkModelCheckpoint, buildGan, ganFromCheckpoint, buildClassifier, classifierFromCheckpoint, generatorInputShape, discriminatorInputShape } from './gan.js';

export { vanillaSpec, DEFAULT_VANILLA_HIDDEN_UNITS, type VanillaSpecOptions } from './vanilla/vanilla-spec.js';
export { sigmoidCrossEntropyWithLogits, weightedSigmoidCrossEntropy, meanSigmoidCrossEntropy, discriminatorLoss, generatorLoss } from './vanilla/losses.js';
export { vanillaOptimizers } from './vanilla/vanilla-optimizers.js';
export { dcganSpec, type DcganSpecOptions } from './dcgan/dcgan-spec.js';
export { dcganOptimizers } from './dcgan/dcgan-optimizers.js';
export { radfordDcganSpec, type RadfordDcganSpecOptions } from './dcgan/radford-dcgan-spec.js';
export {
  withArchitecture, type ArchitectureOptions, type Downsampling, type HiddenActivation, type Normalization, type OutputActivation, type Upsampling,
} from './architecture/architecture-options.js';

export { SMOOTHED_FAKE_TARGET, SMOOTHED_REAL_TARGET, fakeTargetOf, realTargetOf } from './tricks/label-smoothing.js';
export { featureMatchingLoss } from './tricks/feature-matching.js';
export { HistoricalAverage, MAX_HISTORICAL_WINDOW_BYTES, maxHistoricalWindow } from './tricks/historical-averaging.js';
export { withMinibatchDiscrimination } from './tricks/minibatch-discrimination.js';

export type { GanTrainer, GanNetworks, TrainOptions, TrainBatch, StepMetrics, OptimizerConfig, OptimizerFactory } from './training/types.js';
export { createTrainer } from './training/create-trainer.js';
export { AdversarialTrainer } from './training/adversarial-trainer.js';
export { NetworkOptimizer, globalNorm, makeTfjsOptimizer, type NamedGradient } from './training/network-optimizer.js';
export { readMetrics, disposeMetrics } from './training/metrics.js';
export { ParameterAverage, withAveragedParameters, EVALUATION_AVERAGE_PREFIX } from './training/parameter-average.js';
export {
  GENERATOR_AVERAGE_PREFIX, TRAINED_GENERATOR_PREFIX, TRAINED_STATISTICS_PREFIX, AVERAGE_STATISTICS_BATCHES, AVERAGE_STATISTICS_BATCH_SIZE,
  GeneratorAverage, generatorAverageFor, samplingForm, samplingStatistics, trainingForm, withAveragedWeights, estimateAveragedStatistics,
} from './training/generator-average.js';
export { ParameterWindow } from './training/parameter-window.js';
export { DEFAULT_MAX_UPDATES_PER_STEP, lossThresholdScheduleOf, type LossThresholdSchedule } from './training/loss-threshold-schedule.js';
export { checkFinitePixels, generate, discriminatorScores, classify } from './training/sampling.js';
export { DEFAULT_LATENT_DIM, sampleLatent, latentBatch, latentTensor } from './training/latent.js';
export { GENERATOR_NOISE_STREAM, generateInChunks, type GeneratedChunk, type GenerateInChunksOptions } from './training/generate-in-chunks.js';

export { ssganSpec, type SsganSpecOptions } from './ssgan/ssgan-spec.js';
export { acganSpec, ACGAN_HIDDEN_UNITS, type AcganSpecOptions } from './acgan/acgan-spec.js';
export { acganConvSpec, type AcganConvSpecOptions } from './acgan/acgan-conv-spec.js';
export { isConditional, describeClasses, checkClassLabels, cyclingLabels, generatorInput } from './acgan/conditioning.js';
export { acganDiscriminatorLoss, acganGeneratorLoss, splitAcganLogits, classCrossEntropy } from './acgan/acgan-losses.js';
export { acganOptimizers } from './acgan/acgan-optimizers.js';
export { AcganTrainer } from './acgan/acgan-trainer.js';
export { improvedGanSpec, type ImprovedGanSpecOptions } from './ssgan/improved-gan-spec.js';
export { classifierSpec } from './ssgan/classifier-spec.js';
export {
  huberLoss,
  reconstructionWeight,
  softmaxCrossEntropy,
  logProbabilityGenerated,
  logProbabilityReal,
  ssganDiscriminatorTerms,
  ssganGeneratorLoss,
  SSGAN_FAKE_TARGET,
  type SsganDiscriminatorTerms,
} from './ssgan/ssgan-losses.js';
export { labeledLoss, unlabeledLoss, realScore } from './ssgan/improved-gan-losses.js';
export { semiSupervisedOptimizers } from './ssgan/ssgan-optimizers.js';
export { SemiSupervisedTrainer } from './ssgan/semi-supervised-trainer.js';
export { ClassifierTrainer, type ClassifierTrainOptions } from './ssgan/classifier-trainer.js';
