import { describe, expect, test, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleWat, generatedModuleOf, generatedModuleText, WAT_SOURCES } from '../test-support/wat-assembler.js';
import { alignedLength, HostSimdModule } from './host-simd-module.js';
import { adamUpdateWasm } from '../optimizers/adam-update-wasm.js';
import { dropoutMaskWasm } from '../training/dropout-mask-wasm.js';

describe('the shipped WebAssembly', () => {
  test.each(WAT_SOURCES)('%s assembles to the bytes its generated module ships', async (relative) => {
    const wat = fileURLToPath(new URL(`../${relative}`, import.meta.url));
    const generated = generatedModuleOf(wat);
    expect(readFileSync(generated.path, 'utf8')).toBe(generatedModuleText(wat, await assembleWat(wat)));
  });

  test.each([['adam-update', adamUpdateWasm], ['dropout-mask', dropoutMaskWasm]] as const)('%s is a valid module with SIMD', (_, bytes) => {
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});

describe('HostSimdModule', () => {
  test('grows its memory to what a call reserves, and the view covers exactly that', () => {
    const module = new HostSimdModule<object>(adamUpdateWasm);
    expect(module.heap(16)!.floats.length).toBe(16);
    const large = module.heap(300_000)!;
    expect(large.floats.length).toBe(300_000);
    expect(typeof (large.exports as { adamUpdate?: unknown }).adamUpdate).toBe('function');
    expect(module.instance()!.memory.buffer.byteLength).toBeGreaterThanOrEqual(1_200_000);
  });

  test('is undefined, not an exception, for bytes this engine cannot run (the caller falls back to JavaScript)', () => {
    const module = new HostSimdModule<object>(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
    expect(module.instance()).toBeUndefined();
    expect(module.heap(4)).toBeUndefined();
  });

  test('is undefined where compiling WebAssembly throws (a Content-Security-Policy without wasm-unsafe-eval)', () => {
    const compile = vi.spyOn(WebAssembly, 'Module').mockImplementation(() => {
      throw new WebAssembly.CompileError('WebAssembly.Module(): Refused to compile or instantiate WebAssembly module');
    });
    try {
      expect(new HostSimdModule<object>(adamUpdateWasm).instance()).toBeUndefined();
    } finally {
      compile.mockRestore();
    }
  });

  test('places arrays on 16-byte boundaries', () => {
    expect([1, 4, 5, 8, 257].map(alignedLength)).toEqual([4, 4, 8, 8, 260]);
  });
});
