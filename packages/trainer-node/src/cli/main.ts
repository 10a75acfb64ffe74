#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { Command } from 'commander';
import { processIo, type CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { reportError } from './report-error.js';
import { exitAfterFlush } from './exit-after-flush.js';
import { trainCommand } from './train.js';
import { generateCommand } from './generate.js';
import { inspectCommand } from './inspect.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { scoreCommand } from './score.js';
import { reportCommand } from './report.js';
import { FORGER_VERSION } from '../version.js';

/**
 * Runs `forger <argv>` and resolves to its exit code. Never calls process.exit, so tests run commands in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let current = 'train';
  // what every command reads at run time: the streams, and the global options once parsed (--verbose)
  const context: CliIo = { ...io };
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('forger')
    .description('Train GANs in Node with TensorFlow.js and sample them in the browser.')
    .version(FORGER_VERSION)
    .option('--verbose', 'say how the backend was chosen and show what native libraries (Dawn, Vulkan) printed while probing it')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for the flags)');
  // subcommands inherit exitOverride and configureOutput from here
  program.hook('preAction', (_program, action) => {
    current = action.name();
    context.verbose = program.opts<{ verbose?: boolean }>().verbose === true;
  });
  for (const command of [trainCommand, generateCommand, inspectCommand, evalCommand, scoreCommand, exportCommand, reportCommand]) {
    // addCommand, unlike .command(), does not copy exitOverride and configureOutput by itself
    program.addCommand(command(context, setExitCode, argv).copyInheritedSettings(program));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // FORGER_VERBOSE=1 or --verbose: a user-caused error prints its stack too (for a bug report)
    return reportError(error, context, current, { verbose: process.env.FORGER_VERBOSE === '1' || context.verbose === true });
  }
  return exitCode;
}

/** True when this file is the process entry (node dist/cli/main.js, or the `forger` bin link). */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntry()) {
  // First Ctrl-C: the training loop finishes its step, writes a final checkpoint and exits 0.
  // A second one: the user means it; quit at once (the last checkpoint on disk is intact: writes are atomic).
  // SIGTERM (docker stop, timeout, systemd) is the same request from a program: it saves the same way.
  const interrupt = new AbortController();
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      if (interrupt.signal.aborted) process.exit(code);
      interrupt.abort();
    });
  }
  const code = await runCli(process.argv.slice(2), { ...processIo, interrupt: interrupt.signal });
  // exit explicitly (a GPU device or wasm worker may keep the event loop alive), but only once stdout and stderr are flushed
  await exitAfterFlush(code);
}
