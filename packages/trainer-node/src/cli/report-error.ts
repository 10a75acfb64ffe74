import { CommanderError } from 'commander';
import { ForgerError } from '@forger/core';
import { BackendError } from '../backends/index.js';
import { RunError } from '../run/run-error.js';
import { UsageError } from '../run/usage-error.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { oneLine } from './terminal-text.js';

export interface ReportOptions {
  /** Also print the stack (and the cause's) of an error that is the user's to fix: for a bug report. */
  verbose?: boolean;
}

/**
 * Turns an error out of a command into one line on stderr and an exit code: 2 for a UsageError (bad flags), 3 for a
 * diverged run, 4 for a run stopped by --stop-on, 1 for every other `ForgerError` (any package's) and for an errno error that names its path. Each is
 * the user's to fix and prints without a stack unless `verbose`; the line goes through `oneLine`, since it may quote
 * a string from a file. Anything else is a bug and prints its stack.
 */
export function reportError(error: unknown, io: CliIo, command: string, options: ReportOptions = {}): ExitCode {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and --version exit 0
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${oneLine(error.message)} (see: forger ${command} --help)\n${details(error, options)}`);
    return ExitCode.usage;
  }
  if (error instanceof ForgerError) {
    io.stderr.write(`${error.name}: ${oneLine(error.message)}\n${nativeOutputOf(error)}${details(error, options)}`);
    if (error instanceof RunError && error.code === 'diverged') return ExitCode.diverged;
    return error instanceof RunError && error.code === 'unhealthy' ? ExitCode.unhealthy : ExitCode.failure;
  }
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno?.code === 'string' && typeof errno.path === 'string') {
    // ENOENT, EACCES: the message already names the path
    io.stderr.write(`error: ${oneLine(errno.message)}\n${details(errno, options)}`);
    return ExitCode.failure;
  }
  io.stderr.write(`forger ${command} failed unexpectedly (please report this):\n${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failure;
}

/** No backend started: what the native libraries printed while they were probed may say why (issue 17). */
function nativeOutputOf(error: ForgerError): string {
  if (!(error instanceof BackendError) || !error.nativeOutput) return '';
  return `native output of the backend probe:\n${error.nativeOutput.trimEnd()}\n`;
}

/** The stacks behind a one-line message, with --verbose (FORGER_VERBOSE=1): the error's and its causes'. */
function details(error: Error, options: ReportOptions): string {
  if (!options.verbose) return '';
  const lines: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) lines.push(e === error ? (e.stack ?? '') : `caused by: ${e.stack ?? e.message}`);
  return `${lines.join('\n')}\n`;
}
