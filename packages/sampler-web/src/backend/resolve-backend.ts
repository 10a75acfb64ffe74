import { throwIfLoadAborted } from '../load-abort.js';
import { SamplerError } from '../sampler-error.js';

/** The backends the sampler runs on in a browser, in `auto`'s order: the one list every name is derived from. */
export const BROWSER_BACKENDS = ['webgpu', 'wasm'] as const;
export type BackendName = (typeof BROWSER_BACKENDS)[number];
export type BackendPreference = 'auto' | BackendName;

/** Whether `value` is a backend preference (the sampler's `backend` option comes from untyped JavaScript too). */
export function isBackendPreference(value: unknown): value is BackendPreference {
  return value === 'auto' || (BROWSER_BACKENDS as readonly unknown[]).includes(value);
}

/** One way to run the generator: how to start it, and the name tfjs knows it by. */
export interface BackendCandidate {
  name: BackendName;
  /** Resolves once tfjs runs on this backend; rejects with the reason it cannot. */
  start(): Promise<void>;
}

export interface ResolvedBackend {
  name: BackendName;
  /** Why each backend tried before the chosen one was passed over, e.g. "webgpu: no adapter". */
  skipped: string[];
}

/** `auto` prefers WebGPU (a GPU, or SwiftShader) and falls back to WASM, which every browser with WebAssembly runs. */
export function backendOrder(preference: BackendPreference): BackendName[] {
  return preference === 'auto' ? [...BROWSER_BACKENDS] : [preference];
}

/**
 * Tries the candidates in order and returns the first that starts, like
 * onnxruntime-web's resolveBackend: a backend that fails is marked with its
 * reason and skipped, and if none starts every reason is reported together.
 * A start that neither resolves nor rejects within `timeoutMs` counts as failed
 * (some drivers never answer requestDevice), so loading cannot hang.
 */
export async function resolveBackend(candidates: BackendCandidate[], timeoutMs: number, abort?: { signal: AbortSignal; where: string }): Promise<ResolvedBackend> {
  const skipped: string[] = [];
  for (const candidate of candidates) {
    // An aborted load starts no further backend. One that is starting is let finish: tfjs's engine runs one backend
    // initialisation at a time (setBackend awaits the pending one), so a newer load would wait for it anyway.
    if (abort) throwIfLoadAborted(abort.signal, abort.where, `before starting the ${candidate.name} backend`);
    try {
      await withTimeout(candidate.start(), timeoutMs, `${candidate.name} did not start within ${timeoutMs} ms`);
      return { name: candidate.name, skipped };
    } catch (error) {
      skipped.push(`${candidate.name}: ${reasonOf(error)}`);
    }
  }
  const tried = candidates.map((c) => c.name).join(', ') || 'none';
  throw new SamplerError('backend-unavailable', `No backend could start (tried ${tried}): ${skipped.join('; ')}`, {
    where: tried,
  });
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
