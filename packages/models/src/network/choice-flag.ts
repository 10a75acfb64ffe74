import { env } from '@tensorflow/tfjs-core';

/**
 * Registers the tfjs flag `name` (initial value: `preferred`) that takes one of two values, and returns its reader:
 * the switches that choose between two equivalent implementations (Forger's kernels or tfjs's, a folded or a direct
 * convolution), so a benchmark can time both in one run. Anything else is refused when set; tfjs stores a flag's
 * value before its check throws, so the reader takes an invalid one for the preferred value.
 */
export function choiceFlag<T extends string>(name: string, preferred: T, other: T): () => T {
  env().registerFlag(name, () => preferred, (value) => {
    if (value !== preferred && value !== other) throw new Error(`${name} must be "${preferred}" or "${other}", got ${JSON.stringify(value)}`);
  });
  return () => (env().get(name) === other ? other : preferred);
}
