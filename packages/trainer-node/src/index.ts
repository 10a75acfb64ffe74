// @forger/trainer-node: the `forger` CLI and the pieces of a training run, for scripts that drive Forger from Node.
export { runCli } from './cli/main.js';
export { ExitCode } from './cli/exit-codes.js';
export { UsageError } from './cli/usage-error.js';
export type { CliIo } from './io/cli-io.js';
export { resolveTrainConfig, type TrainFlags } from './cli/train-flags.js';
export { evaluateClassifier, formatEvalReport, type EvalReport } from './cli/eval.js';
export { runTraining, type RunTrainingOptions, type TrainingResult } from './run/training-run.js';
export { runBaseline } from './run/baseline-run.js';
export type { TrainConfig, TrainModel, OptimizerKind, SslLoss } from './run/train-config.js';
export { RunError, type RunErrorCode } from './run/run-error.js';
export { RunLayout } from './run/run-layout.js';
export { CheckpointStore, DEFAULT_CHECKPOINTS_KEPT } from './run/checkpoint-store.js';
export { writeFileAtomic } from './run/atomic-write.js';
export { MetricsLog, readMetrics, type MetricsRecord } from './run/metrics-log.js';
export { encodePng, decodePng, writeSampleGrid } from './run/sample-png.js';
export { prepareBackend, BackendError, type BackendInfo } from './backends/index.js';
