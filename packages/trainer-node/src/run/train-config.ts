/**
 * The resolved config of a training run and what is fixed on resume: both derived from the one flag table
 * (train-flag-table.ts), where each field is described.
 */
export {
  FIXED_ON_RESUME, MODELS, type OptimizerKind, type SslLoss, type TrainConfig, type TrainFlags, type TrainModel,
} from './train-flag-table.js';
