import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CheckpointError, ForgerError, ImageGridError, RngError } from '@forger/core';
import { DataError } from '@forger/data';
import { ModelError } from '@forger/models';
import { BackendError } from '../backends/backend-error.js';
import { KernelError } from '@forger/kernels';
import { FileError } from '../run/file-error.js';
import { ReportError } from '../report/report-error.js';
import { TensorBoardError } from '../tensorboard/tensorboard-error.js';
import { RunError } from '../run/run-error.js';
import { ScoreError } from '../score/score-error.js';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { reportError } from './report-error.js';
import { UsageError } from '../run/usage-error.js';

/** Every ForgerError class a `forger` command can meet, one instance each, and the exit code it must give. */
const EXAMPLES: { error: ForgerError; exit: ExitCode }[] = [
  { error: new CheckpointError('bad-magic', 'not a Forger checkpoint', { where: 'file' }), exit: ExitCode.failure },
  { error: new RngError('bad-state', 'the saved state is all zero'), exit: ExitCode.failure },
  { error: new ImageGridError('bad-image-batch', 'a grid draws 1, 3 or 4 channels, got 2'), exit: ExitCode.failure },
  { error: new DataError('truncated', 'the file ends early', { file: 'x-idx3-ubyte', expected: '16 bytes', found: '4 bytes' }), exit: ExitCode.failure },
  { error: new ModelError('missing-tensor', 'generator tensor dense_1/kernel is missing', { where: 'dense_1/kernel' }), exit: ExitCode.failure },
  { error: new KernelError('bad-input', 'a kernel input of the wrong rank'), exit: ExitCode.failure },
  { error: new KernelError('not-webgpu', 'not a WebGPU backend'), exit: ExitCode.failure },
  { error: new BackendError('no-adapter', 'the webgpu backend is not available here'), exit: ExitCode.failure },
  { error: new UsageError('usage', '--batch-size 60000 is more than 5350', { where: '--batch-size' }), exit: ExitCode.usage },
  { error: new RunError('not-resumable', 'runs/x/final.web.forger holds no training state'), exit: ExitCode.failure },
  { error: new RunError('diverged', 'd_loss is NaN at step 7'), exit: ExitCode.diverged },
  { error: new ScoreError('not-finite', 'feature 3 of vector 9 is NaN'), exit: ExitCode.failure },
  { error: new ReportError('not-a-run', 'runs/x holds no metrics.jsonl: not a run folder', { where: 'runs/x' }), exit: ExitCode.failure },
  { error: new TensorBoardError('bad-record', 'the CRC-32C of record 3 does not match', { where: 'events.out.tfevents.1.h' }), exit: ExitCode.failure },
  { error: new FileError('no-space', 'cannot write runs/x/final.forger: no space left on the device'), exit: ExitCode.failure },
];

/** Classes that cannot reach `forger`: the browser sampler's (trainer-node does not depend on sampler-web). */
const NOT_IN_THE_CLI = new Set(['SamplerError']);

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !path.includes('node_modules') && !path.includes(`${'/'}dist${'/'}`));
}

describe('reportError', () => {
  it('knows every ForgerError subclass in the packages (a new class must be added above)', async () => {
    const declared = new Set<string>();
    for (const pkg of ['core', 'data', 'models', 'kernels', 'trainer-node', 'sampler-web']) {
      for (const file of await sourceFiles(join(repoRoot, 'packages', pkg, 'src'))) {
        for (const match of (await readFile(file, 'utf8')).matchAll(/class (\w+) extends ForgerError\b/g)) declared.add(match[1]!);
      }
    }
    const covered = new Set(EXAMPLES.map((e) => e.error.name));
    const missing = [...declared].filter((name) => !covered.has(name) && !NOT_IN_THE_CLI.has(name));
    expect(missing).toEqual([]);
    expect(declared.size).toBeGreaterThanOrEqual(13);
  });

  it.each(EXAMPLES.map((e) => [e.error.name, (e.error as ForgerError).code, e] as const))(
    'prints a %s (%s) as one line, without a stack, with its exit code',
    (_name, _code, { error, exit }) => {
      const io = captureIo();
      expect(reportError(error, io, 'train')).toBe(exit);
      const text = io.err();
      expect(text.endsWith('\n')).toBe(true);
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      expect(text).toContain(error.message);
      expect(text).not.toMatch(/\n\s+at /);
      expect(text).not.toMatch(/unexpectedly/);
      expect(io.out()).toBe('');
    },
  );

  it('prints the stack (and the cause) only with verbose', () => {
    const cause = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const error = new FileError('no-space', 'cannot write runs/x/final.forger: no space left on the device', { cause });
    const quiet = captureIo();
    reportError(error, quiet, 'train');
    expect(quiet.err()).toBe('FileError: cannot write runs/x/final.forger: no space left on the device\n');
    const verbose = captureIo();
    expect(reportError(error, verbose, 'train', { verbose: true })).toBe(ExitCode.failure);
    expect(verbose.err()).toMatch(/^FileError: cannot write runs\/x\/final\.forger: no space left on the device\n/);
    expect(verbose.err()).toMatch(/\n\s+at /);
    expect(verbose.err()).toMatch(/caused by: Error: ENOSPC/);
  });

  it('keeps a message that quotes a file on one line and inert (no escape sequence reaches the terminal)', () => {
    const io = captureIo();
    reportError(new CheckpointError('bad-spec', 'variant "\u001b[2J\u001b]0;pwned\u0007\r\nfake line" is not known'), io, 'inspect');
    expect(io.err()).toBe('CheckpointError: variant "\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x0afake line" is not known\n');
  });

  it('still prints the stack of a bug (not a ForgerError)', () => {
    const io = captureIo();
    reportError(new TypeError('x is undefined'), io, 'train');
    expect(io.err()).toMatch(/failed unexpectedly \(please report this\):\nTypeError: x is undefined\n\s+at /);
  });
});
