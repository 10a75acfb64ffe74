import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, decodeCheckpoint } from '@forger/core';
import { parseIdx, toUint8Images } from '@forger/data';
import { ganFromCheckpoint, generateInChunks, sampleLatent } from '@forger/models';
import { decodePng } from '../run/sample-png.js';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

/** The bytes `forger generate --idx` writes for these classes, computed straight from the generator. */
async function expectedBytes(path: string, count: number, seed: number, labels: number[]): Promise<Uint8Array> {
  const checkpoint = decodeCheckpoint(await readFile(path));
  const { generator, discriminator } = ganFromCheckpoint(checkpoint);
  const parts: Float32Array[] = [];
  for await (const chunk of generateInChunks(generator, checkpoint.spec, sampleLatent(checkpoint.spec, count, Rng.fromSeed(seed)), { chunkSize: 64, labels })) parts.push(chunk.images.slice());
  generator.dispose();
  discriminator?.dispose();
  return toUint8Images(Float32Array.from(parts.flatMap((p) => Array.from(p))), checkpoint.spec.pixelRange);
}

describe('forger generate --class (conditional checkpoints)', () => {
  let acgan: Awaited<ReturnType<typeof tinyVanillaRun>>;
  let vanilla: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    acgan = await tinyVanillaRun(['--model', 'acgan']);
    vanilla = await tinyVanillaRun();
  });

  it('draws only the class asked for, from the web export as from the full checkpoint', async () => {
    for (const k of [3, 7]) {
      const idx = join(acgan.folder, `class-${k}.idx`);
      const io = captureIo();
      expect(await runCli(['generate', acgan.web, '--class', String(k), '--count', '5', '--seed', '11', '--out', `${idx}.png`, '--idx', idx, '--backend', 'cpu'], io)).toBe(ExitCode.ok);
      expect(io.out()).toContain(`wrote 5 samples of class ${k} to`);
      const written = parseIdx(await readFile(idx), idx).data;
      expect(Buffer.from(written).equals(Buffer.from(await expectedBytes(acgan.web, 5, 11, Array(5).fill(k))))).toBe(true);
    }
    const [three, seven] = await Promise.all([3, 7].map((k) => readFile(join(acgan.folder, `class-${k}.idx`))));
    expect(three!.equals(seven!)).toBe(false);
  });

  it('without --class lays the classes out one per column', async () => {
    const png = join(acgan.folder, 'all.png');
    const idx = join(acgan.folder, 'all.idx');
    const io = captureIo();
    expect(await runCli(['generate', acgan.final, '--count', '20', '--seed', '2', '--out', png, '--idx', idx, '--backend', 'cpu'], io)).toBe(ExitCode.ok);
    expect(io.out()).toContain('wrote 20 samples, one column per class (0–9) to');
    // 10 columns (classes 0–9) × 2 rows of 28×28 cells with 1-pixel borders
    const grid = decodePng(await readFile(png));
    expect([grid.width, grid.height]).toEqual([10 * 29 + 1, 2 * 29 + 1]);
    const labels = Array.from({ length: 20 }, (_, i) => i % 10);
    expect(Buffer.from(parseIdx(await readFile(idx), idx).data).equals(Buffer.from(await expectedBytes(acgan.final, 20, 2, labels)))).toBe(true);
  });

  it('a class out of range is a usage error that names the valid classes, and writes nothing', async () => {
    const io = captureIo();
    const out = join(acgan.folder, 'never.png');
    expect(await runCli(['generate', acgan.web, '--class', '10', '--out', out, '--backend', 'cpu'], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--class 10 is not one of .*final\.web\.forger's classes: 0–9/);
    expect(io.err()).not.toMatch(/\n\s+at /);
    const negative = captureIo();
    expect(await runCli(['generate', acgan.web, '--class', '-1', '--out', out, '--backend', 'cpu'], negative)).toBe(ExitCode.usage);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('--class on an unconditional checkpoint is a usage error', async () => {
    const io = captureIo();
    expect(await runCli(['generate', vanilla.final, '--class', '1', '--out', join(vanilla.folder, 'x.png'), '--backend', 'cpu'], io)).toBe(ExitCode.usage);
    expect(io.err()).toContain('--class needs a conditional (acgan) checkpoint;');
    expect(io.err()).toContain('is an unconditional vanilla model, which draws no given class');
  });

  it('forger inspect shows the classes a conditional checkpoint draws', async () => {
    const io = captureIo();
    expect(await runCli(['inspect', acgan.final], io)).toBe(ExitCode.ok);
    expect(io.out()).toContain('model:         acgan (mlp)');
    expect(io.out()).toContain('conditional:   the generator draws a given class (forger generate --class 0–9)');
  });
});
