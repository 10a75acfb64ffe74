// @forger/trainer-node: the `forger` CLI and the pieces of a training run, for scripts that drive Forger from Node.
export { runCli } from './cli/main.js';
export { ExitCode } from './cli/exit-codes.js';
export { UsageError } from './run/usage-error.js';
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
export { MetricsLog, readMetrics, readHealthLines, type MetricsRecord, type MetricsLine, type HealthLine } from './run/metrics-log.js';
export { encodePng, decodePng, writeSampleGrid } from './run/sample-png.js';
export { prepareBackend, BackendError, type BackendInfo } from './backends/index.js';
export { writeRunReport } from './report/write-report.js';
export {
  HealthMonitor, HEALTH_CONDITIONS, DEFAULT_HEALTH_THRESHOLDS, type HealthCondition, type HealthWarning, type HealthThresholds,
} from './run/health-monitor.js';
export { meanPairwiseDistance } from './run/sample-spread.js';
export { ReportError, type ReportErrorCode } from './report/report-error.js';
export { EventFileWriter, readEventFile, eventFiles, EVENT_FILE_PREFIX, type ReadEvent } from './tensorboard/event-file.js';
export { TensorBoardError, type TensorBoardErrorCode } from './tensorboard/tensorboard-error.js';
