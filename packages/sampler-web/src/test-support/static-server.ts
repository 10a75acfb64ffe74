import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.forger': 'application/octet-stream',
  '.idx': 'application/octet-stream',
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>/`: a secure context, which WebGPU requires. */
  url: string;
  /** Paths requested so far, to check e.g. that the .wasm came from where the page said. */
  requests: string[];
  close(): Promise<void>;
}

export interface Route {
  status?: number;
  contentType?: string;
  body: string | Uint8Array;
}

/**
 * Serves folders on 127.0.0.1 at a free port, like any static host would:
 * later roots win, `routes` override files (for error pages, odd content types
 * or generated checkpoints), and unknown paths get a 404.
 */
export async function serveStatic(
  roots: string[],
  routes: Record<string, Route> = {},
  opts: { headers?: Record<string, string> } = {},
): Promise<StaticServer> {
  const extra = opts.headers ?? {};
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const requested = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(requested);
    const path = requested.endsWith('/') ? `${requested}index.html` : requested;
    const route = routes[path];
    if (route) {
      res.writeHead(route.status ?? 200, { ...extra, ...(route.contentType ? { 'content-type': route.contentType } : {}) });
      res.end(route.body);
      return;
    }
    for (const root of [...roots].reverse()) {
      const file = normalize(join(root, path));
      if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) continue;
      if (existsSync(file) && statSync(file).isFile()) {
        sendFile(res, file, extra);
        return;
      }
    }
    res.writeHead(404, { ...extra, 'content-type': 'text/plain' });
    res.end(`not found: ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendFile(res: ServerResponse, file: string, extra: Record<string, string>): void {
  res.writeHead(200, { ...extra, 'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}
