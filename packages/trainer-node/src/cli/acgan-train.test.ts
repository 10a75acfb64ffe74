import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

async function train(args: string[]): Promise<string> {
  const io = captureIo();
  const code = await runCli(['train', ...args, '--quiet', '--backend', 'cpu'], io);
  if (code !== ExitCode.ok) throw new Error(`training failed (${code}):\n${io.err()}`);
  return io.out();
}

describe('forger train --model acgan', () => {
  it('records the classes in the checkpoint, and a resumed run ends where an uninterrupted one does', async () => {
    const base = ['--model', 'acgan', '--batch-size', '8', '--sample-every', '100000'];
    const straight = await mkdtemp(join(tmpdir(), 'forger-acgan-'));
    const split = await mkdtemp(join(tmpdir(), 'forger-acgan-'));
    await train([...base, '--steps', '4', '--out', straight]);
    await train([...base, '--steps', '2', '--out', split]);
    expect(await train(['--resume', join(split, 'final.forger'), '--steps', '4'])).toMatch(/resuming .* at step 2: acgan \(mlp\)/);
    const [a, b] = await Promise.all([straight, split].map(async (folder) => decodeCheckpoint(await readFile(join(folder, 'final.forger')))));
    expect(a!.spec.family).toBe('acgan');
    expect(a!.spec.numClasses).toBe(10);
    expect(a!.spec.classNames).toEqual([...'0123456789']);
    expect(JSON.parse(a!.training!.configJson)).toMatchObject({ model: 'acgan', acganNet: 'mlp', batchSize: 8 });
    // the same requested classes, z and data after the resume: bit-identical weights
    expect(b!.training!.step).toBe(4);
    for (const [x, y] of [...a!.generator.map((t, i) => [t, b!.generator[i]!] as const), ...a!.discriminator.map((t, i) => [t, b!.discriminator[i]!] as const)]) {
      expect(y.name).toBe(x.name);
      expect(Buffer.from(y.data).equals(Buffer.from(x.data))).toBe(true);
    }
  });
});
