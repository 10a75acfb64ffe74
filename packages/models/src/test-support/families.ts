import type { ModelSpec } from '@forger/core';
import type { TrainBatch } from '../training/types.js';
import { conditionalBatch, labeledBatch, syntheticBatch } from './batches.js';
import { tinyAcganSpec, tinyDcganSpec, tinySsganSpec, tinyVanillaSpec } from './tiny-specs.js';

/** One tiny spec of each family with the batches its trainer takes: for tests that every family does something. */
export interface FamilyCase {
  name: string;
  spec: () => ModelSpec;
  batch: (spec: ModelSpec, seed: number, i: number) => TrainBatch;
}

export const EVERY_FAMILY: readonly FamilyCase[] = [
  { name: 'vanilla', spec: tinyVanillaSpec, batch: syntheticBatch },
  { name: 'dcgan', spec: tinyDcganSpec, batch: syntheticBatch },
  { name: 'ssgan', spec: tinySsganSpec, batch: labeledBatch },
  { name: 'acgan', spec: () => tinyAcganSpec(), batch: conditionalBatch },
];
