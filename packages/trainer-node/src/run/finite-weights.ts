import { checkpointTensorToFloat32, type Checkpoint, type CheckpointTensor } from '@forger/core';
import { RunError } from './run-error.js';

/** The first tensor holding a NaN or ±Inf, with the value and its index; undefined when every value is finite. */
export function firstNonFinite(tensors: readonly CheckpointTensor[]): { tensor: CheckpointTensor; index: number; value: number } | undefined {
  for (const tensor of tensors) {
    const values = checkpointTensorToFloat32(tensor);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) return { tensor, index: i, value: values[i]! };
    }
  }
  return undefined;
}

/**
 * `--resume` of a checkpoint with a NaN or ±Inf weight or optimizer slot was accepted, and the run then diverged at
 * once and blamed the learning rate (issue 18, finding 11): refuse it up front, naming the tensor.
 */
export function checkResumableWeights(checkpoint: Checkpoint, path: string): void {
  const slots = checkpoint.training?.optimizers.flatMap((o) => o.slots) ?? [];
  const bad = firstNonFinite([...checkpoint.generator, ...checkpoint.discriminator, ...slots]);
  if (bad) {
    throw new RunError('not-resumable', `${path}: tensor ${bad.tensor.name} holds ${bad.value} (element ${bad.index}): a network with non-finite weights cannot train; resume from an earlier checkpoint of the run`, { where: path });
  }
}
