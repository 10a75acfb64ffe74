import { InvalidArgumentError } from 'commander';
import * as values from '../run/value-parsers.js';

/** The value parsers of src/run/value-parsers.ts as commander argument parsers: a bad value is a usage error (exit 2). */
export function commanderParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

export const positiveInteger = commanderParser(values.positiveInteger);
export const nonNegativeInteger = commanderParser(values.nonNegativeInteger);
export const positiveNumber = commanderParser(values.positiveNumber);
export const seed = commanderParser(values.seed);
export const wasmThreadCount = commanderParser(values.wasmThreadCount);
export function numberInRange(lo: number, hi: number): (value: string) => number {
  return commanderParser(values.numberInRange(lo, hi));
}
