// Sampler.load's cancellation in Node, where no browser backend exists: an already-aborted signal must reject before
// anything is read, fetched or started. The stages after that (backend start, upload) run in chromium:
// load-abort.browser.test.ts.
import { describe, expect, it } from 'vitest';
import { engineMemory } from './engine-memory.js';
import { Sampler } from './sampler.js';
import { SamplerError } from './sampler-error.js';

describe('Sampler.load with an aborted signal', () => {
  it('rejects at once with SamplerError aborted, the reason as cause, having started nothing', async () => {
    const reason = new Error('the visitor chose another model');
    const before = engineMemory();
    // Not a checkpoint: an aborted load must not even look at the bytes.
    const error = await Sampler.load(new Uint8Array([1, 2, 3]), { backend: 'wasm', signal: AbortSignal.abort(reason) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SamplerError);
    expect(error).toMatchObject({ code: 'aborted', where: 'bytes', message: 'loading bytes was aborted before it started' });
    expect((error as Error).cause).toBe(reason);
    expect(engineMemory()).toEqual(before);
  });

  it('names a URL or a File the same way, without fetching it', async () => {
    const signal = AbortSignal.abort();
    const url = await Sampler.load('http://127.0.0.1:1/never.forger', { signal }).catch((e: unknown) => e);
    expect(url).toMatchObject({ code: 'aborted', where: 'http://127.0.0.1:1/never.forger' });
    const file = await Sampler.load(new File([new Uint8Array(4)], 'mine.forger'), { signal }).catch((e: unknown) => e);
    expect(file).toMatchObject({ code: 'aborted', where: 'mine.forger' });
    // The default reason of AbortSignal.abort() is a DOMException named AbortError.
    expect(((file as Error).cause as Error).name).toBe('AbortError');
  });
});
