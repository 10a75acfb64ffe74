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

  it('reports a refused connection as a fetch failure', async () => {
    const error = await failure(readCheckpointBytes('http://127.0.0.1:1/x.forger', { timeoutMs: 5_000 }));
    expect(error.code).toBe('fetch-failed');
  });
});
