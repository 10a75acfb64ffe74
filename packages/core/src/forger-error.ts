/** Where an error was found and what caused it: the one options shape every Forger error takes. */
export interface ForgerErrorOptions {
  /** The file, layer, tensor, flag, step or backend the problem is about, as the user named it. */
  where?: string;
  /** The lower-level error this one explains (an errno, a protobuf decode failure, …). */
  cause?: unknown;
}

/**
 * The base of every error Forger throws on purpose: `new XError(code, message, { where, cause })`. `code` is a short
 * kebab-case reason a program can branch on; `message` says what was wrong and what to do; `where` locates it.
 * A command-line tool or a page that catches a `ForgerError` shows it as one line: it is the user's to fix, not a bug
 * (anything else that escapes is a bug and keeps its stack). Each package derives its own class so that a caller can
 * tell a bad checkpoint (`CheckpointError`) from a bad dataset file (`DataError`) with `instanceof`.
 */
export abstract class ForgerError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly where: string | undefined;

  constructor(code: Code, message: string, options: ForgerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.where = options.where;
  }
}
