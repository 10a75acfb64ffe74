// @forger/trainer-node: the `forger` CLI and the pieces of a training run, for scripts that drive Forger from Node.
export { runCli } from './cli/main.js';
export { ExitCode } from './cli/exitCodes.js';
export { UsageError } from './cli/usageError.js';
export type { CliIo } from './cli/cliIo.js';
export { resolveTrainConfig, type TrainFlags } from './cli/trainFlags.js';
export { evaluateClassifier, formatEvalReport, type EvalReport } from './cli/eval.js';
export { runTraining, type RunTrainingOptions, type TrainingResult } from './run/trainingRun.js';
export { runBaseline } from './run/baselineRun.js';
export type { TrainConfig, TrainModel, OptimizerKind, SslLoss } from './run/trainConfig.js';
export { RunError, type RunErrorCode } from './run/runError.js';
export { RunLayout } from './run/runLayout.js';
export { CheckpointStore, DEFAULT_CHECKPOINTS_KEPT } from './run/checkpointStore.js';
export { writeFileAtomic } from './run/atomicWrite.js';
export { MetricsLog, readMetrics, type MetricsRecord } from './run/metricsLog.js';
export { encodePng, decodePng, writeSampleGrid } from './run/samplePng.js';
export { prepareBackend, BackendError, type BackendInfo } from './backends/index.js';
