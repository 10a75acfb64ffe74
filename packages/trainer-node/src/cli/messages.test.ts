import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '@forger/core';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

// Issue 18, finding 11: messages that sent the user the wrong way.
describe('messages say what is wrong', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it.each([['--lr'], ['--beta1'], ['--historical-averaging']])('%s 1e400 is "not a finite number", not "expected a number > 0"', async (flag) => {
    const io = captureIo();
    expect(await runCli(['train', flag, '1e400', '--out', join(run.folder, 'never')], io)).toBe(ExitCode.usage);
    expect(io.err()).toContain('"1e400" is not a finite number');
  });

  it('--resume of a checkpoint with a NaN weight is refused, naming the tensor (not blaming the learning rate later)', async () => {
    const checkpoint = decodeCheckpoint(await readFile(run.final));
    const tensor = checkpoint.generator[1]!;
    expect(tensor.dtype).toBe('float32');
    new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).setFloat32(8, Number.NaN, true);
    const path = join(run.folder, 'nan.forger');
    await writeFile(path, encodeCheckpoint(checkpoint));
    const io = captureIo();
    expect(await runCli(['train', '--backend', 'cpu', '--resume', path, '--steps', '4', '--quiet'], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(`RunError: ${path}: tensor ${tensor.name} holds NaN (element 2): a network with non-finite weights cannot train; resume from an earlier checkpoint of the run\n`);
    expect(io.out()).toBe('');
  });
});
