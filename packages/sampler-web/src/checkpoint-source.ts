import { loadAborted, throwIfLoadAborted } from './load-abort.js';
import { SamplerError } from './sampler-error.js';

/** What `Sampler.load` accepts: a URL, the bytes themselves, or a File/Blob from a picker or a drop. */
export type CheckpointSource = string | URL | ArrayBuffer | Uint8Array | Blob;

export interface ReadOptions {
  /** Abort the download after this many milliseconds. */
  timeoutMs: number;
  /** Resolves relative URLs; defaults to the page's URL. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The caller's cancellation: aborts the download and rejects with SamplerError 'aborted' (cause: signal.reason). */
  signal?: AbortSignal;
}

/**
 * Media types that can never be a checkpoint. A static host or an SPA fallback
 * answers a mistyped path with index.html and status 200, and an API with JSON;
 * decoding those as protobuf would give a baffling CheckpointError, so we say
 * what really happened. Anything else (octet-stream, a vendor type, none) is
 * left for the decoder to judge: hosts label unknown extensions inconsistently.
 */
function isTextualContentType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || /(json|xml|javascript|html)/.test(type);
}

/** How errors name a source before (or without) reading it: the URL as given, `bytes`, or the File's name. */
export function sourceName(source: CheckpointSource): string {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return 'bytes';
  if (typeof Blob !== 'undefined' && source instanceof Blob) return 'name' in source && typeof source.name === 'string' ? source.name : 'blob';
  return String(source);
}

export async function readCheckpointBytes(source: CheckpointSource, opts: ReadOptions): Promise<{ bytes: Uint8Array; where: string }> {
  if (source instanceof Uint8Array) return { bytes: source, where: 'bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), where: 'bytes' };
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const where = sourceName(source);
    // Reading a local File cannot be cancelled (Blob.arrayBuffer takes no signal); it is checked once read.
    const bytes = new Uint8Array(await source.arrayBuffer());
    throwIfLoadAborted(opts.signal, where, 'while reading the file');
    return { bytes, where };
  }
  const url = resolveUrl(source as string | URL, opts.baseUrl);
  return { bytes: await download(url, opts), where: url };
}

function resolveUrl(source: string | URL, baseUrl: string | undefined): string {
  const base = baseUrl ?? (typeof location === 'undefined' ? undefined : location.href);
  try {
    return new URL(source, base).href;
  } catch (cause) {
    throw new SamplerError('invalid-argument', `"${String(source)}" is not a URL the sampler can fetch`, { where: String(source), cause });
  }
}

async function download(url: string, opts: ReadOptions): Promise<Uint8Array> {
  const doFetch = opts.fetch ?? fetch;
  const { signal } = opts;
  throwIfLoadAborted(signal, url, 'before the download started');
  // One controller aborts the request for either reason, the timeout or the caller's signal; `signal.aborted` then
  // tells the two apart (the caller's abort wins: it is the reason the caller will look for).
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const stopped = (cause: unknown, otherwise: () => SamplerError): SamplerError =>
    signal?.aborted
      ? loadAborted(signal, url, 'while downloading')
      : controller.signal.aborted
        ? new SamplerError('timeout', `Downloading ${url} took longer than ${opts.timeoutMs} ms`, { where: url, cause })
        : otherwise();
  try {
    let response: Response;
    try {
      response = await doFetch(url, { signal: controller.signal });
    } catch (cause) {
      throw stopped(cause, () =>
        new SamplerError('fetch-failed', `Could not fetch ${url}: ${(cause as Error).message} (offline, wrong host, or blocked by CORS)`, {
          where: url,
          cause,
        }),
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SamplerError('http-status', `GET ${url} answered ${response.status} ${response.statusText}: no checkpoint there`, { where: url });
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (isTextualContentType(contentType)) {
      await response.body?.cancel();
      throw new SamplerError(
        'content-type',
        `GET ${url} returned ${contentType}, not a binary checkpoint (a mistyped path served as an HTML page?)`,
        { where: url },
      );
    }
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      throw stopped(cause, () => new SamplerError('fetch-failed', `The download of ${url} broke off: ${(cause as Error).message}`, { where: url, cause }));
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
