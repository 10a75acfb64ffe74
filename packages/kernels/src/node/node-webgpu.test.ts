import { describe, expect, test } from 'vitest';
import { describeAdapter } from './node-webgpu.js';

describe('describeAdapter', () => {
  const adapter = (info: Partial<GPUAdapterInfo>, isFallbackAdapter = false) => ({ info, isFallbackAdapter }) as unknown as GPUAdapter;

  test('names a real GPU by its description and does not call it software', () => {
    const d = describeAdapter(adapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }));
    expect(d).toEqual({ name: 'NVIDIA H100 80GB HBM3', vendor: 'nvidia', architecture: 'hopper', software: false });
  });

  test('recognises SwiftShader, llvmpipe and fallback adapters as software', () => {
    expect(describeAdapter(adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })).software).toBe(true);
    expect(describeAdapter(adapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).software).toBe(true);
    expect(describeAdapter(adapter({ vendor: 'x', description: 'y' }, true)).software).toBe(true);
  });
});
