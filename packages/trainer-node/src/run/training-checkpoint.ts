import { type Checkpoint, type CheckpointTensor, type ModelSpec, type Rng } from '@forger/core';
import { samplingForm, samplingStatistics, type GanTrainer } from '@forger/models';
import { FORGER_VERSION } from '../version.js';
import type { MetricsRecord } from './metrics-log.js';
import { firstNonFinite } from './finite-weights.js';
import { RunError } from './run-error.js';
import type { SampleNoise } from './sample-noise.js';
import type { TrainConfig } from './train-config.js';
import type { TrainingData } from './training-data.js';

export interface TrainingCheckpointParts {
  spec: ModelSpec;
  trainer: GanTrainer;
  rng: Rng;
  data: TrainingData;
  noise: SampleNoise;
  config: TrainConfig;
  step: number;
  epoch: number;
  backend: string;
  metrics: MetricsRecord | undefined;
  /** the command line, for the provenance */
  note: string;
}

/**
 * The whole state of a run at `step`: weights, optimizer slots, the Rng, the data position, the fixed sample noise
 * and the flags, so that `--resume` continues bit-identically on the same backend. Refuses to capture NaN/Inf
 * weights: a checkpoint on disk is always one worth resuming.
 */
export async function trainingCheckpoint(parts: TrainingCheckpointParts): Promise<Checkpoint> {
  const { spec, trainer, config, step } = parts;
  // Read back asynchronously: WebGPU in Node cannot read a tensor synchronously.
  const trained = await trainer.generator.readCheckpointTensors();
  const discriminator = await trainer.discriminator.readCheckpointTensors();
  checkFinite([...trained, ...discriminator], step);
  // with a generator average (--generator-average), `generator` holds the averaged weights every sampler reads,
  // with batch-norm statistics estimated for them, and the trained ones travel in extra for --resume
  // (@forger/models' samplingForm; proto/README.md)
  const extra = [parts.noise.toCheckpointTensor(), ...parts.data.extraTensors(), ...await trainer.extraTensors()];
  const sampling = samplingForm(trained, extra, await samplingStatistics(trainer));
  return {
    spec,
    generator: sampling.generator,
    discriminator,
    training: {
      step,
      epoch: parts.epoch,
      optimizers: await trainer.optimizerStates(),
      rng: parts.rng.state(),
      data: parts.data.position(),
      configJson: JSON.stringify(storedConfig(config)),
      extra: sampling.extra,
    },
    provenance: {
      createdAt: new Date().toISOString(),
      forgerVersion: FORGER_VERSION,
      backend: parts.backend,
      dataset: config.dataset,
      metrics: provenanceMetrics(parts.metrics),
      note: parts.note,
    },
  };
}

/** The flags that describe the training, not this invocation (no --quiet, no test hook). */
export function storedConfig(config: TrainConfig): Omit<TrainConfig, 'quiet' | 'injectNanAtStep'> {
  const { quiet: _quiet, injectNanAtStep: _inject, ...stored } = config;
  return stored;
}

function provenanceMetrics(record: MetricsRecord | undefined): Record<string, number> {
  if (!record) return {};
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'step' && key !== 'epoch' && Number.isFinite(value)) metrics[key] = value;
  }
  return metrics;
}

/** The caller (training-run) adds which checkpoint is the last good one. */
function checkFinite(tensors: CheckpointTensor[], step: number): void {
  const bad = firstNonFinite(tensors);
  if (bad) {
    throw new RunError('diverged', `weight ${bad.tensor.name} is ${bad.value} at step ${step}: training diverged; this checkpoint is not written.`, { where: String(step) });
  }
}
