import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { resolveTrainConfig } from './train-flags.js';

describe('--wasm-threads', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it('generate --backend wasm --wasm-threads 2 draws on two threads, and says so', async () => {
    const io = captureIo();
    expect(await runCli(['generate', '--checkpoint', run.final, '--count', '4', '--out', join(run.folder, 'two-threads.png'), '--backend', 'wasm', '--wasm-threads', '2'], io)).toBe(ExitCode.ok);
    expect(io.err()).toContain('backend: wasm (2 threads, SIMD)');
  });

  it('with a backend that does not use it: a usage error naming both flags', async () => {
    const io = captureIo();
    expect(await runCli(['generate', '--checkpoint', run.final, '--count', '4', '--out', join(run.folder, 'cpu.png'), '--backend', 'cpu', '--wasm-threads', '2'], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--wasm-threads sets the wasm backend's threads; --backend cpu does not use it/);
  });

  it('train: the vanilla recipes default to 1 thread (their products are too small to split), the conv families to every core', () => {
    expect(resolveTrainConfig({ backend: 'wasm' }).wasmThreads).toBe(1);
    expect(resolveTrainConfig({ backend: 'wasm', recipe: 'classic' }).wasmThreads).toBe(1);
    expect(resolveTrainConfig({ backend: 'wasm', model: 'dcgan' }).wasmThreads).toBeUndefined();
    expect(resolveTrainConfig({ backend: 'wasm', wasmThreads: 2 }).wasmThreads).toBe(2);
    // the default does not turn into an error on a backend without wasm threads; the flag given does
    expect(resolveTrainConfig({ backend: 'cpu' }).wasmThreads).toBeUndefined();
    expect(() => resolveTrainConfig({ backend: 'cpu', wasmThreads: 2 })).toThrow(/--backend cpu does not use it/);
  });

  it.each([['0'], ['9'], ['two']])('--wasm-threads %s: a usage error saying what it takes', async (value) => {
    const io = captureIo();
    expect(await runCli(['score', '--checkpoint', run.final, '--backend', 'wasm', '--wasm-threads', value], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--wasm-threads/);
  });
});
