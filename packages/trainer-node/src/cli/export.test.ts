import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint } from '@forger/core';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

describe('forger export', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it('writes an int8 generator-only file, a quarter of the float32 weights, that dequantises within a scale step', async () => {
    const out = join(run.folder, 'model.int8.forger');
    const io = captureIo();
    expect(await runCli(['export', run.final, '--dtype', 'int8', '--out', out], io)).toBe(ExitCode.ok);
    expect(io.out()).toContain(`wrote ${out}`);
    const full = decodeCheckpoint(await readFile(run.final));
    const web = decodeCheckpoint(await readFile(out));
    expect(web.discriminator).toHaveLength(0);
    expect(web.training).toBeUndefined();
    const kernel = web.generator.find((t) => t.name === 'dense_1/kernel')!;
    expect(kernel.dtype).toBe('int8');
    const original = checkpointTensorToFloat32(full.generator.find((t) => t.name === 'dense_1/kernel')!);
    const restored = checkpointTensorToFloat32(kernel);
    const maxScale = Math.max(...kernel.scale);
    let worst = 0;
    for (let i = 0; i < original.length; i++) worst = Math.max(worst, Math.abs(original[i]! - restored[i]!));
    expect(worst).toBeLessThanOrEqual(maxScale / 2 + 1e-7);
    expect((await stat(out)).size).toBeLessThan((await stat(run.web)).size);
  });

  it('refuses a corrupt checkpoint with its CheckpointError (exit 1) and writes nothing', async () => {
    const out = join(run.folder, 'never.forger');
    const io = captureIo();
    expect(await runCli(['export', join(run.folder, 'metrics.jsonl'), '--out', out], io)).toBe(ExitCode.failure);
    expect(io.err()).toMatch(/CheckpointError/);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('is a usage error (exit 2) without --out or with an unknown dtype', async () => {
    expect(await runCli(['export', run.final], captureIo())).toBe(ExitCode.usage);
    expect(await runCli(['export', run.final, '--out', join(run.folder, 'x.forger'), '--dtype', 'int4'], captureIo())).toBe(ExitCode.usage);
  });
});
