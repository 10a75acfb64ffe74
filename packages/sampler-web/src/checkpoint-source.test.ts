import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointBytes } from './checkpoint-source.js';
import { SamplerError } from './sampler-error.js';

// A real HTTP server on 127.0.0.1: the sampler's error messages are about what
// servers actually answer, so we test against one rather than a fetch stub.
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/model.forger') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([8, 1, 2, 3]));
    } else if (req.url === '/untyped.forger') {
      res.writeHead(200);
      res.end(Buffer.from([9, 9]));
    } else if (req.url === '/spa-fallback.forger') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>app</title>');
    } else if (req.url === '/slow.forger') {
      setTimeout(() => res.end('late'), 2_000);
    } else if (req.url === '/stalled.forger') {
      // Headers at once, then the body never ends: the download is under way when it is aborted.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.from([8, 1]));
    } else {
      res.writeHead(404, 'Not Found');
      res.end('nope');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function failure(promise: Promise<unknown>): Promise<SamplerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SamplerError);
  return error as SamplerError;
}

describe('readCheckpointBytes', () => {
  it('downloads the bytes of a relative URL resolved against the base', async () => {
    const { bytes, where } = await readCheckpointBytes('model.forger', { timeoutMs: 5_000, baseUrl: base });
    expect(Array.from(bytes)).toEqual([8, 1, 2, 3]);
    expect(where).toBe(`${base}model.forger`);
  });

  it('accepts a response without a content type', async () => {
    const { bytes } = await readCheckpointBytes(`${base}untyped.forger`, { timeoutMs: 5_000 });
    expect(bytes.length).toBe(2);
  });

  it('passes bytes and Blobs through without fetching', async () => {
    const bytes = new Uint8Array([1, 2]);
    expect((await readCheckpointBytes(bytes, { timeoutMs: 1 })).bytes).toBe(bytes);
    const blob = new Blob([new Uint8Array([5, 6, 7])]);
    expect(Array.from((await readCheckpointBytes(blob, { timeoutMs: 1 })).bytes)).toEqual([5, 6, 7]);
  });

  it('rejects a 404 with the status and the URL', async () => {
    const error = await failure(readCheckpointBytes(`${base}missing.forger`, { timeoutMs: 5_000 }));
    expect(error.code).toBe('http-status');
    expect(error.message).toContain('404');
    expect(error.where).toBe(`${base}missing.forger`);
  });

  it('rejects an HTML page served with status 200 by its content type', async () => {
    const error = await failure(readCheckpointBytes(`${base}spa-fallback.forger`, { timeoutMs: 5_000 }));
    expect(error.code).toBe('content-type');
    expect(error.message).toContain('text/html');
  });

  it('gives up on a server that does not answer in time', async () => {
    const started = Date.now();
    const error = await failure(readCheckpointBytes(`${base}slow.forger`, { timeoutMs: 200 }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("stops a download when the caller's signal aborts: code 'aborted', the signal's reason as cause", async () => {
    const controller = new AbortController();
    const reason = new Error('a newer model was chosen');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 150);
    const error = await failure(readCheckpointBytes(`${base}stalled.forger`, { timeoutMs: 5_000, signal: controller.signal }));
    expect(error.code).toBe('aborted');
    expect(error.message).toBe(`loading ${base}stalled.forger was aborted while downloading`);
    expect(error.cause).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_500); // not the 5 s timeout
  });

  it('an abort before the answer comes is also the caller\'s abort, not a timeout or a network failure', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('user'), 100);
    const error = await failure(readCheckpointBytes(`${base}slow.forger`, { timeoutMs: 5_000, signal: controller.signal }));
    expect(error.code).toBe('aborted');
    expect(error.cause).toBe('user');
  });

  it('does not even ask the server when the signal is already aborted', async () => {
    let asked = 0;
    const counting = ((...args: Parameters<typeof fetch>) => {
      asked++;
      return fetch(...args);
    }) as typeof fetch;
    const error = await failure(readCheckpointBytes(`${base}model.forger`, { timeoutMs: 5_000, signal: AbortSignal.abort('gone'), fetch: counting }));
    expect(error).toMatchObject({ code: 'aborted', cause: 'gone' });
    expect(asked).toBe(0);
  });

  it('a signal that is never aborted changes nothing, and the timeout still applies', async () => {
    const { signal } = new AbortController();
    expect((await readCheckpointBytes(`${base}model.forger`, { timeoutMs: 5_000, signal })).bytes.length).toBe(4);
    expect((await failure(readCheckpointBytes(`${base}slow.forger`, { timeoutMs: 100, signal }))).code).toBe('timeout');
  });

  it('reports a refused connection as a fetch failure', async () => {
    const error = await failure(readCheckpointBytes('http://127.0.0.1:1/x.forger', { timeoutMs: 5_000 }));
    expect(error.code).toBe('fetch-failed');
  });
});
