export type RngErrorCode = 'bad-seed' | 'bad-state' | 'bad-argument';

/** Thrown by `Rng` for a seed, saved state or argument it cannot use. */
export class RngError extends Error {
  readonly code: RngErrorCode;

  constructor(code: RngErrorCode, message: string) {
    super(message);
    this.name = 'RngError';
    this.code = code;
  }
}
