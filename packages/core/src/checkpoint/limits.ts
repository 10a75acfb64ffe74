import type { CheckpointLimits } from './types.js';

// Generous for the models Forger trains (the largest DCGAN has ~6.5 M
// parameters, 26 MB as float32) yet small enough that a hostile header cannot
// make a browser tab allocate gigabytes.
export const DEFAULT_CHECKPOINT_LIMITS: Readonly<CheckpointLimits> = Object.freeze({
  maxFileBytes: 512 * 1024 * 1024,
  maxTensorsPerNetwork: 4096,
  maxRank: 8,
  maxTensorElements: 2 ** 28,
  maxNameLength: 256,
});

export function resolveLimits(limits?: Partial<CheckpointLimits>): CheckpointLimits {
  return { ...DEFAULT_CHECKPOINT_LIMITS, ...(limits ?? {}) };
}
