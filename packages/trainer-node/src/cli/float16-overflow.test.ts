import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint } from '@forger/core';
import { captureIo } from '../test-support/capture-io.js';
import { runCli } from './main.js';

// Issue 18, finding 2: `train --lr 1e6` printed "done" and exited 0, yet its final.web.forger held Inf weights (float16
// overflow) and rendered black; `forger export --dtype float16` did the same. Now neither writes such a file.
describe('weights beyond float16', () => {
  let folder: string;
  let train: ReturnType<typeof captureIo>;
  let code: number;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'forger-overflow-'));
    train = captureIo();
    code = await runCli(['train', '--backend', 'cpu', '--batch-size', '8', '--steps', '2', '--lr', '1e6', '--quiet', '--out', folder], train);
  });

  it('train keeps final.forger, writes no final.web.forger and says why', async () => {
    expect(code, train.err()).toBe(0);
    const final = decodeCheckpoint(await readFile(join(folder, 'final.forger')));
    // a loop, not Math.max(...): the default generator's ~240,000 weights would overflow the call stack as arguments
    const maxAbs = final.generator.reduce((most, t) => checkpointTensorToFloat32(t).reduce((m, v) => Math.max(m, Math.abs(v)), most), 0);
    expect(maxAbs).toBeGreaterThan(65504); // the premise: Adam at lr 1e6 moves weights by ~1e6 per step
    expect(existsSync(join(folder, 'final.web.forger'))).toBe(false);
    expect(train.err()).toMatch(/^warning: final\.web\.forger not written: tensor "[^"]+": \d+ values? of up to [\d.e+]+ overflow float16/m);
    expect(train.out()).toContain('web export   none');
  });

  it('export --dtype float16 exits 1 with one line naming the tensor; --dtype int8 works', async () => {
    const io = captureIo();
    const out = join(folder, 'f16.web.forger');
    expect(await runCli(['export', join(folder, 'final.forger'), '--out', out, '--dtype', 'float16'], io)).toBe(1);
    expect(io.err()).toMatch(/^CheckpointError: tensor "[^"]+": .* overflow float16 .*\n$/);
    expect(existsSync(out)).toBe(false);
    const int8 = captureIo();
    expect(await runCli(['export', join(folder, 'final.forger'), '--out', join(folder, 'i8.web.forger'), '--dtype', 'int8'], int8)).toBe(0);
  });
});
