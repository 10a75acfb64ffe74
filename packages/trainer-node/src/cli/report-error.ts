import { CommanderError } from 'commander';
import { ForgerError } from '@forger/core';
import { BackendError } from '../backends/index.js';
import { RunError } from '../run/run-error.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { InputFileError, errnoInWords } from './input-file.js';
import { UsageError } from './usage-error.js';

/**
 * Turns an error out of a command into one line on stderr and an exit code. Every `ForgerError` (any package's) is
 * the user's to fix and prints without a stack; anything else is a bug and prints its stack.
 */
export function reportError(error: unknown, io: CliIo, command: string): ExitCode {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and --version exit 0
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n(see: forger ${command} --help)\n`);
    return ExitCode.usage;
  }
  if (error instanceof InputFileError) {
    io.stderr.write(`error: ${error.message}\n`);
    return ExitCode.failure;
  }
  if (error instanceof BackendError && error.nativeOutput) {
    // no backend started: what the native libraries printed while they were probed may say why (issue 17)
    io.stderr.write(`${error.name}: ${error.message}\nnative output of the backend probe:\n${error.nativeOutput.trimEnd()}\n`);
    return ExitCode.failure;
  }
  if (error instanceof ForgerError) {
    io.stderr.write(`${error.name}: ${error.message}\n`);
    return error instanceof RunError && error.code === 'diverged' ? ExitCode.diverged : ExitCode.failure;
  }
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno?.code === 'string' && typeof errno.path === 'string') {
    // ENOENT, EACCES, ENOSPC on a file the command read or wrote: the path and the reason, in words
    io.stderr.write(`error: "${errno.path}": ${errnoInWords(errno)}\n`);
    return ExitCode.failure;
  }
  io.stderr.write(`forger ${command} failed unexpectedly (please report this):\n${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failure;
}
