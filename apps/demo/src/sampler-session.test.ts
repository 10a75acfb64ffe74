// The session's cancellation, with Sampler.load replaced by a fake that honours its signal the way the real one does
// (the real one is tested in chromium: packages/sampler-web/src/load-abort.browser.test.ts, and the page in
// demo.browser.test.ts).
import { beforeEach, describe, expect, it, vi } from 'vitest';

interface FakeLoad {
  source: string;
  signal: AbortSignal;
  finish(): void;
  fail(error: Error): void;
}

const loads: FakeLoad[] = [];
const disposed: string[] = [];

vi.mock('@forger/sampler-web', () => ({
  Sampler: {
    load: (source: string, opts: { signal: AbortSignal }) =>
      new Promise((resolve, reject) => {
        const sampler = { source, dispose: () => disposed.push(source) };
        loads.push({ source, signal: opts.signal, finish: () => resolve(sampler), fail: reject });
        opts.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'aborted', cause: opts.signal.reason })));
      }),
  },
}));

const { LoadSuperseded, SamplerSession } = await import('./sampler-session.js');

/** Lets queued promise callbacks run (the session chains loads on a queue). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  loads.length = 0;
  disposed.length = 0;
});

describe('SamplerSession', () => {
  it('a newer load aborts the running one at once and starts without waiting for it', async () => {
    const session = new SamplerSession();
    const shown: string[] = [];
    session.onChange((s) => shown.push((s as unknown as { source: string }).source));
    const first = session.load('a.forger', 'webgpu', 'A');
    await settle();
    expect(loads.map((l) => l.source)).toEqual(['a.forger']); // A is under way, and never finishes by itself
    const second = session.load('b.forger', 'wasm', 'B');
    await expect(first).rejects.toBeInstanceOf(LoadSuperseded);
    expect(loads[0]!.signal.aborted).toBe(true);
    expect(loads[0]!.signal.reason).toBeInstanceOf(LoadSuperseded);
    await settle();
    expect(loads.map((l) => l.source)).toEqual(['a.forger', 'b.forger']);
    loads[1]!.finish();
    expect((await second) as unknown as { source: string }).toMatchObject({ source: 'b.forger' });
    expect(shown).toEqual(['b.forger']);
    expect(session.started).toEqual(['A/webgpu', 'B/wasm']);
    expect(session.aborted).toEqual(['A/webgpu']);
    expect(session.busyLoading()).toBe(false);
  });

  it('supersede() (back to what the page shows) aborts the running load too', async () => {
    const session = new SamplerSession();
    const first = session.load('a.forger', 'wasm', 'A');
    await settle();
    session.supersede();
    await expect(first).rejects.toBeInstanceOf(LoadSuperseded);
    expect(session.aborted).toEqual(['A/wasm']);
  });

  it('a load that fails on its own is an error, not a superseded load, and the page keeps its sampler', async () => {
    const session = new SamplerSession();
    const ok = session.load('a.forger', 'wasm', 'A');
    await settle();
    loads[0]!.finish();
    await ok;
    const bad = session.load('broken.forger', 'wasm', 'Broken');
    await settle();
    const error = new Error('not a complete Forger checkpoint');
    loads[1]!.fail(error);
    await expect(bad).rejects.toBe(error);
    expect(session.aborted).toEqual([]);
    expect(session.sampler as unknown as { source: string }).toMatchObject({ source: 'a.forger' });
    expect(disposed).toEqual([]);
  });

  it('a sampler replaced by a newer one is disposed after the newer one holds the page', async () => {
    const session = new SamplerSession();
    const a = session.load('a.forger', 'wasm', 'A');
    await settle();
    loads[0]!.finish();
    await a;
    const b = session.load('b.forger', 'wasm', 'B');
    await settle();
    loads[1]!.finish();
    await b;
    expect(disposed).toEqual(['a.forger']);
    expect(session.aborted).toEqual([]);
  });
});
