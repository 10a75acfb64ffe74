import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, type CheckpointSummary } from '@forger/core';
import { parseIdx } from '@forger/data';
import { decodePng } from '../run/sample-png.js';
import { captureIo } from '../test-support/capture-io.js';
import type { EvalReport } from './eval.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

// CIFAR-10's binary version, exactly: six files of 10,000 records, each a label byte then the 32×32 R, G and B planes.
const RECORD = 1 + 3 * 32 * 32;
const RECORDS_PER_FILE = 10_000;

/** A batch file whose image of class c is a colour ramp that depends on c, so the classes differ. */
function batchFile(offset: number): Uint8Array {
  const bytes = new Uint8Array(RECORDS_PER_FILE * RECORD);
  for (let r = 0; r < RECORDS_PER_FILE; r++) {
    const label = (r + offset) % 10;
    const at = r * RECORD;
    bytes[at] = label;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) bytes[at + 1 + c * 1024 + p] = (label * 25 + c * 40 + (p >> 5) * 2 + ((r * 7) % 13)) % 256;
    }
  }
  return bytes;
}

// One folder of files for every family: writing the six 30 MB files is the slow part.
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'forger-cifar10-'));
  for (let b = 1; b <= 5; b++) await writeFile(join(folder, `data_batch_${b}.bin`), batchFile(b));
  await writeFile(join(folder, 'test_batch.bin'), batchFile(0));
}, 60_000);
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('forger train and eval on CIFAR-10 files from a folder (semi-supervised family)', () => {
  it('trains SSGAN-Tensorflow steps on 32×32×3 images with 40 labels, then inspects and evaluates the checkpoint', async () => {
    const out = join(folder, 'run');
    const train = captureIo();
    const code = await runCli(
      ['train', '--model', 'ssgan', '--dataset', 'cifar10', '--data-dir', folder, '--labeled-count', '40', '--steps', '2',
        '--batch-size', '8', '--backend', 'wasm', '--quiet', '--out', out],
      train,
    );
    expect(code, `${train.out()}\n${train.err()}`).toBe(ExitCode.ok);
    const checkpoint = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    expect(checkpoint.spec.image).toEqual({ height: 32, width: 32, channels: 3 });
    expect(checkpoint.spec.numClasses).toBe(10);
    expect(checkpoint.spec.classNames[3]).toBe('cat');
    expect(checkpoint.training?.step).toBe(2);
    expect(checkpoint.provenance.dataset).toBe('cifar10');
    const inspect = captureIo();
    expect(await runCli(['inspect', join(out, 'final.forger')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/ssgan \(ssgan-tensorflow\)/);
    expect(inspect.out()).toMatch(/32×32×3/);

    const io = captureIo();
    expect(await runCli(['eval', '--checkpoint', join(out, 'final.forger'), '--data-dir', folder, '--json', '--limit', '100', '--backend', 'wasm'], io)).toBe(ExitCode.ok);
    const report = JSON.parse(io.out()) as EvalReport;
    expect(report).toMatchObject({ dataset: 'cifar10', split: 'test', count: 100 });
    expect(report.classNames[9]).toBe('truck');
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
  }, 120_000);

  it('names a truncated batch file and what it should hold, before writing anything', async () => {
    const partial = await mkdtemp(join(tmpdir(), 'forger-cifar10-partial-'));
    await writeFile(join(partial, 'data_batch_1.bin'), new Uint8Array(RECORD * 3));
    const io = captureIo();
    const code = await runCli(['train', '--model', 'ssgan', '--dataset', 'cifar10', '--data-dir', partial, '--steps', '1', '--backend', 'cpu', '--quiet', '--out', join(partial, 'run')], io);
    expect(code).not.toBe(ExitCode.ok);
    expect(io.err()).toMatch(/data_batch_1\.bin: count-mismatch: .*expected 10000 records \(30730000 bytes\), found 3 records/);
    expect(existsSync(join(partial, 'run'))).toBe(false);
    await rm(partial, { recursive: true, force: true });
  });
});

describe('forger train, inspect and generate on CIFAR-10 files from a folder (radford DCGAN, the dcgan default)', () => {
  it('trains steps of the default --model dcgan on 32×32×3 images, and generate draws 32×32 RGB images from it', async () => {
    const out = join(folder, 'dcgan');
    const train = captureIo();
    // no --architecture and no --extra-layers: the defaults (radford, 3 extra layers each) are what is tested. Most of
    // the ~40 s is the run's final 64-image grid through that generator on wasm (a CPU profile), not the two steps.
    const code = await runCli(
      ['train', '--model', 'dcgan', '--dataset', 'cifar10', '--data-dir', folder, '--steps', '2', '--batch-size', '4', '--backend', 'wasm', '--quiet', '--out', out],
      train,
    );
    expect(code, `${train.out()}\n${train.err()}`).toBe(ExitCode.ok);
    const final = join(out, 'final.forger');

    const inspect = captureIo();
    expect(await runCli(['inspect', '--json', final], inspect)).toBe(ExitCode.ok);
    const summary = JSON.parse(inspect.out()) as CheckpointSummary;
    expect(summary).toMatchObject({ family: 'dcgan', variant: 'radford-dcgan', image: { height: 32, width: 32, channels: 3 }, numClasses: 0 });
    expect(summary.provenance.dataset).toBe('cifar10');
    expect(summary.training).toMatchObject({ step: 2, config: { architecture: 'radford', extraLayers: [3, 3] } });
    // the discriminator reads the three colour planes: its first convolution's kernel has 3 input channels
    const checkpoint = decodeCheckpoint(await readFile(final));
    const firstKernel = checkpoint.discriminator.find((t) => t.name.endsWith('/kernel'))!;
    expect(firstKernel.shape[2]).toBe(3);

    const idx = join(out, 'four.idx');
    const png = join(out, 'four.png');
    const generate = captureIo();
    expect(await runCli(['generate', '--checkpoint', final, '--count', '4', '--seed', '5', '--idx', idx, '--out', png, '--backend', 'wasm'], generate)).toBe(ExitCode.ok);
    const images = parseIdx(await readFile(idx), idx);
    expect(images.dims).toEqual([4, 32, 32, 3]);
    // colour, not grey: some pixel's red and green differ (an untrained-ish generator's planes are independent)
    const rgb = images.data;
    expect(Array.from({ length: rgb.length / 3 }, (_, p) => rgb[3 * p] !== rgb[3 * p + 1]).filter(Boolean).length).toBeGreaterThan(rgb.length / 30);
    expect(new Set(rgb).size).toBeGreaterThan(10);
    // 4 images: a 2 × 2 grid of 32×32 cells with 1-pixel borders
    const grid = decodePng(await readFile(png));
    expect([grid.width, grid.height]).toEqual([2 * 33 + 1, 2 * 33 + 1]);
  }, 300_000);
});

