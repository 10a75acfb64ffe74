import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SampleQualityReport } from '../score/sample-quality.js';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

// a 2-step acgan run (cpu) and a 50-sample score against the first 100 test images (wasm: LeNet passes take seconds there)
const QUICK = ['--limit', '100', '--count', '50', '--backend', 'wasm'];

describe('forger score on a conditional checkpoint', () => {
  let checkpoint: string;
  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-score-acgan-'));
    const io = captureIo();
    const code = await runCli(['train', '--model', 'acgan', '--steps', '2', '--batch-size', '8', '--backend', 'cpu', '--quiet', '--out', folder], io);
    if (code !== ExitCode.ok) throw new Error(`training failed (${code}):\n${io.err()}`);
    checkpoint = join(folder, 'final.forger');
  });

  it('reports how often the reference classifier names the requested class, per class and overall', async () => {
    const io = captureIo();
    expect(await runCli(['score', '--checkpoint', checkpoint, ...QUICK, '--json'], io)).toBe(ExitCode.ok);
    const report = JSON.parse(io.out()) as SampleQualityReport;
    const accuracy = report.classAccuracy!;
    expect(accuracy).toBeDefined();
    // 50 samples drawn as classes 0, 1, …, 9, 0, …: five of each
    expect(accuracy.requested).toEqual(Array(10).fill(5));
    expect(accuracy.perClass).toHaveLength(10);
    for (const p of accuracy.perClass) expect([0, 0.2, 0.4, 0.6, 0.8, 1].some((v) => Math.abs(v - p) < 1e-9)).toBe(true);
    const mean = accuracy.perClass.reduce((a, b) => a + b, 0) / 10;
    expect(accuracy.overall).toBeCloseTo(mean, 12);
    // and the per-class agreements are the classifier's class shares' counterpart: every sample is counted once
    expect(report.count).toBe(50);
  });

  it('prints the class accuracy in the readable report', async () => {
    const io = captureIo();
    expect(await runCli(['score', checkpoint, ...QUICK], io)).toBe(ExitCode.ok);
    expect(io.out()).toMatch(/\nclass accuracy +\d+\.\d% +the classifier names the class each sample was asked to be\n {2}per class +0 \d+\.\d% +1 \d+\.\d%/);
  });
});
