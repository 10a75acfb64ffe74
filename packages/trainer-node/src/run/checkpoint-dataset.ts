import type { Checkpoint } from '@forger/core';

/**
 * The --dataset a checkpoint was trained on ('mnist', 'cifar10' or an IDX images path): its stored training
 * config, else its provenance (a web export keeps only the provenance); undefined when neither says.
 */
export function checkpointDataset(checkpoint: Checkpoint): string | undefined {
  try {
    const config = JSON.parse(checkpoint.training?.configJson || '{}') as { dataset?: unknown };
    if (typeof config.dataset === 'string' && config.dataset !== '') return config.dataset;
  } catch {
    // fall through to the provenance
  }
  return checkpoint.provenance.dataset || undefined;
}
