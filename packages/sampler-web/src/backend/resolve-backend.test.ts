import { describe, expect, it } from 'vitest';
import { SamplerError } from '../sampler-error.js';
import { backendOrder, resolveBackend, type BackendCandidate, type BackendName } from './resolve-backend.js';

const starts = (name: BackendName): BackendCandidate => ({ name, start: async () => {} });
const fails = (name: BackendName, reason: string): BackendCandidate => ({
  name,
  start: async () => {
    throw new Error(reason);
  },
});
const hangs = (name: BackendName): BackendCandidate => ({ name, start: () => new Promise(() => {}) });

describe('resolveBackend', () => {
  it('auto tries WebGPU before WASM', () => {
    expect(backendOrder('auto')).toEqual(['webgpu', 'wasm']);
    expect(backendOrder('wasm')).toEqual(['wasm']);
  });

  it('takes the first backend that starts and records why earlier ones were skipped', async () => {
    const chosen = await resolveBackend([fails('webgpu', 'no adapter'), starts('wasm')], 1_000);
    expect(chosen).toEqual({ name: 'wasm', skipped: ['webgpu: no adapter'] });
  });

  it('treats a backend that never answers as failed instead of hanging', async () => {
    const chosen = await resolveBackend([hangs('webgpu'), starts('wasm')], 50);
    expect(chosen.name).toBe('wasm');
    expect(chosen.skipped[0]).toMatch(/webgpu: webgpu did not start within 50 ms/);
  });

  it('reports every reason together when nothing starts', async () => {
    const error = await resolveBackend([fails('webgpu', 'no adapter'), fails('wasm', 'binary 404')], 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SamplerError);
    expect((error as SamplerError).code).toBe('backend-unavailable');
    expect((error as SamplerError).message).toContain('webgpu: no adapter; wasm: binary 404');
  });

  it('an aborted load starts no further backend, and says so with the caller\'s reason', async () => {
    const controller = new AbortController();
    const tried: string[] = [];
    const error = await resolveBackend(
      [
        { name: 'webgpu', start: async () => { tried.push('webgpu'); controller.abort('newer choice'); throw new Error('no adapter'); } },
        { name: 'wasm', start: async () => { tried.push('wasm'); } },
      ],
      1_000,
      { signal: controller.signal, where: 'model.forger' },
    ).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SamplerError);
    expect(error).toMatchObject({ code: 'aborted', cause: 'newer choice', message: 'loading model.forger was aborted before starting the wasm backend' });
    expect(tried).toEqual(['webgpu']);
  });
});
