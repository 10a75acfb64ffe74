import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { decodeCheckpoint } from '@forger/core';
import { parseIdx, toFloatBatch } from '@forger/data';
import { discriminatorScores, ganFromCheckpoint } from '@forger/models';
import { decodePng } from '../run/sample-png.js';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

describe('forger generate', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it('writes a PNG grid of N samples from a web export, and the same images as IDX bytes', async () => {
    const png = join(run.folder, 'ten.png');
    const idx = join(run.folder, 'ten.idx');
    const io = captureIo();
    expect(await runCli(['generate', '--checkpoint', run.web, '--count', '10', '--out', png, '--idx', idx, '--backend', 'cpu'], io)).toBe(0);
    // 10 images: 4 columns × 3 rows of 28×28 cells with 1-pixel borders
    const grid = decodePng(await readFile(png));
    expect([grid.width, grid.height]).toEqual([4 * 29 + 1, 3 * 29 + 1]);
    const samples = parseIdx(await readFile(idx), idx);
    expect(samples.dims).toEqual([10, 28, 28]);
    expect(new Set(samples.data).size).toBeGreaterThan(10);
  });

  it('draws the same samples for the same --seed and others for another', async () => {
    const paths = ['a', 'b', 'c'].map((n) => join(run.folder, `${n}.idx`));
    for (const [path, seed] of [[paths[0]!, '3'], [paths[1]!, '3'], [paths[2]!, '4']] as const) {
      await runCli(['generate', '--checkpoint', run.final, '--count', '4', '--out', `${path}.png`, '--idx', path, '--seed', seed, '--backend', 'cpu'], captureIo());
    }
    const [a, b, c] = await Promise.all(paths.map((p) => readFile(p)));
    expect(a!.equals(b!)).toBe(true);
    expect(a!.equals(c!)).toBe(false);
  });

  it('--nice keeps the N of 20×N samples that the discriminator rates most real', async () => {
    const nice = join(run.folder, 'nice.idx');
    const plain = join(run.folder, 'plain.idx');
    const io = captureIo();
    expect(await runCli(['generate', '--checkpoint', run.final, '--count', '3', '--out', `${nice}.png`, '--idx', nice, '--nice', '--backend', 'cpu'], io)).toBe(0);
    await runCli(['generate', '--checkpoint', run.final, '--count', '60', '--out', `${plain}.png`, '--idx', plain, '--backend', 'cpu'], captureIo());
    // the 60 plain draws with the same seed are the 60 candidates --nice ranked: its 3 must be among them
    const candidates = parseIdx(await readFile(plain), plain);
    const kept = parseIdx(await readFile(nice), nice);
    expect(kept.dims).toEqual([3, 28, 28]);
    const size = 28 * 28;
    const candidateImages = Array.from({ length: 60 }, (_, i) => Buffer.from(candidates.data.subarray(i * size, (i + 1) * size)).toString('hex'));
    const keptAt = [0, 1, 2].map((k) => candidateImages.indexOf(Buffer.from(kept.data.subarray(k * size, (k + 1) * size)).toString('hex')));
    expect(keptAt.every((i) => i >= 0)).toBe(true);
    // and they are the three the discriminator scores highest, most real first
    const checkpoint = decodeCheckpoint(await readFile(run.final));
    const { generator, discriminator } = ganFromCheckpoint(checkpoint);
    const scores = tf.tidy(() =>
      discriminatorScores(discriminator!, tf.tensor4d(toFloatBatch(candidates.data, checkpoint.spec.pixelRange), [60, 28, 28, 1]), checkpoint.spec).arraySync(),
    );
    generator.dispose();
    discriminator!.dispose();
    const ranked = scores.map((score, i) => ({ score, i })).sort((x, y) => y.score - x.score);
    // scored here from 8-bit pixels, there from floats: allow a tie-level swap, never a low-ranked image
    expect(keptAt.map((i) => ranked.findIndex((r) => r.i === i)).every((rank) => rank < 5)).toBe(true);
    expect(scores[keptAt[0]!]!).toBeGreaterThan(ranked[10]!.score);
  });

  it('--nice on a generator-only checkpoint is an error that names the problem, and writes nothing', async () => {
    const out = join(run.folder, 'never.png');
    const io = captureIo();
    expect(await runCli(['generate', '--checkpoint', run.web, '--count', '3', '--out', out, '--nice', '--backend', 'cpu'], io)).toBe(ExitCode.failure);
    expect(io.err()).toMatch(/--nice ranks samples with the discriminator, and .*final\.web\.forger has none/);
    expect(existsSync(out)).toBe(false);
  });

  it('shows its progress from 1,000 images: a few lines on stderr off a terminal, stdout untouched', async () => {
    const io = captureIo();
    const out = join(run.folder, 'thousand.png');
    expect(await runCli(['generate', run.web, '--count', '1000', '--out', out, '--backend', 'cpu'], io)).toBe(ExitCode.ok);
    const lines = io.err().split('\n').filter((line) => line.startsWith('generating: '));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines.at(-1)).toMatch(/^generating: 1000\/1000 images \(100%\)/);
    expect(io.out()).toBe(`wrote 1000 samples to ${out} (${32 * 29 + 1}×${32 * 29 + 1})\n`);
    const small = captureIo();
    expect(await runCli(['generate', run.web, '--count', '999', '--out', out, '--backend', 'cpu'], small)).toBe(ExitCode.ok);
    expect(small.err()).not.toMatch(/generating: /);
  });

  it('refuses a bad --count with exit code 2', async () => {
    const io = captureIo();
    expect(await runCli(['generate', '--checkpoint', run.web, '--count', '0', '--out', join(run.folder, 'x.png')], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--count/);
  });
});
