import { UsageError } from '../run/usage-error.js';

/**
 * Checks every required input of a command at once and names all the missing ones in one message, instead of
 * commander's requiredOption, which stops at the first (the user would fix one, rerun, and meet the next).
 * Each entry: how the input is written on the command line, and the value given (undefined when absent).
 */
export function requireInputs(inputs: ReadonlyArray<readonly [label: string, value: unknown]>): void {
  const missing = inputs.filter(([, value]) => value === undefined).map(([label]) => label);
  if (missing.length === 0) return;
  throw new UsageError('usage', `missing ${missing.join(', ')}`, { where: missing[0] });
}
