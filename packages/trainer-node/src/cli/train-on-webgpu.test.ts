import { mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { probeWebGpu } from '@forger/kernels/test-support';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

// `forger train --backend webgpu` end to end: WebGPU in Node cannot read a tensor synchronously, so every
// checkpoint read (weights, optimizer slots, averages) must be asynchronous, or the first checkpoint throws.
const webgpu = await probeWebGpu();

describe('forger train on webgpu', () => {
  test.skipIf(webgpu.reason !== undefined)(`writes checkpoints and resumes from one (${webgpu.adapter ?? webgpu.reason})`, async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-webgpu-'));
    const io = captureIo();
    const flags = ['--backend', 'webgpu', '--batch-size', '4', '--quiet', '--log-every', '2'];
    expect(await runCli(['train', ...flags, '--steps', '2', '--checkpoint-every', '2', '--out', out], io), io.err()).toBe(ExitCode.ok);
    expect(io.out()).toMatch(/backend: webgpu \(.*; forger convolutions, direct filter gradient\)/);
    const first = decodeCheckpoint(new Uint8Array(await readFile(join(out, 'final.forger'))));
    expect(first.training?.step).toBe(2);
    expect(first.training?.optimizers.map((o) => o.slots.length)).toEqual([12, 12]); // Adam's m and v for 6 variables each (3 dense layers)
    expect(existsSync(join(out, 'final.png'))).toBe(true);
    const resumed = captureIo();
    expect(await runCli(['train', '--resume', join(out, 'final.forger'), '--steps', '4', '--quiet'], resumed), resumed.err()).toBe(ExitCode.ok);
    const last = decodeCheckpoint(new Uint8Array(await readFile(join(out, 'final.forger'))));
    expect(last.training?.step).toBe(4);
  });
});
