import { ForgerError } from './forger-error.js';

export type RngErrorCode = 'bad-seed' | 'bad-state' | 'bad-argument';

/** Thrown by `Rng` for a seed, saved state or argument it cannot use. */
export class RngError extends ForgerError<RngErrorCode> {
  override readonly name = 'RngError';
}
