/**
 * The response headers that make a page cross-origin isolated (`crossOriginIsolated`), which a browser requires
 * before it gives the page SharedArrayBuffer, and so wasm threads: the sampler then runs tfjs's threaded-SIMD build
 * on one thread per core (README: WASM threads). Send them with the page (and COEP's `require-corp` means every
 * cross-origin resource the page loads must opt in with CORP or CORS).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
} as const satisfies Record<string, string>;
