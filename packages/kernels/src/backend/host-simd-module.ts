/**
 * One of the kernels' own small WebAssembly modules (`*.wat`, assembled into `*-wasm.ts`), for a host kernel's
 * elementwise loop: the cpu and wasm backends otherwise run it as JavaScript, a float64 value at a time rounded to
 * float32 after each operation. The module has its own memory: a call copies its inputs in and its results out,
 * which costs far less than the loop it replaces once an array has a few hundred values (tfjs-backend-wasm's memory
 * is not handed out by tfjs, and a cpu backend's arrays are JavaScript's anyway).
 *
 * Compiled on first use, synchronously (the modules are under a kilobyte: browsers allow that on the main thread
 * up to 4 KB). An engine without WebAssembly SIMD, or a page that may not compile WebAssembly, gets `undefined`,
 * and the caller runs its JavaScript loop.
 */
export class HostSimdModule<Exports> {
  private compiled: { exports: Exports; memory: WebAssembly.Memory } | null | undefined;

  constructor(private readonly bytes: Uint8Array<ArrayBuffer>) {}

  /** The module's exports and memory, or undefined where this engine cannot run it. */
  instance(): { exports: Exports; memory: WebAssembly.Memory } | undefined {
    if (this.compiled === undefined) this.compiled = this.compile();
    return this.compiled ?? undefined;
  }

  /**
   * The module's exports and a float32 view of the first `floats` values of its memory, grown to hold them; undefined
   * where this engine cannot run it. Growing detaches every view taken before, so take one per call.
   */
  heap(floats: number): { floats: Float32Array; exports: Exports } | undefined {
    const module = this.instance();
    if (module === undefined) return undefined;
    const needed = floats * 4 - module.memory.buffer.byteLength;
    if (needed > 0) module.memory.grow(Math.ceil(needed / 65536));
    return { floats: new Float32Array(module.memory.buffer, 0, floats), exports: module.exports };
  }

  private compile(): { exports: Exports; memory: WebAssembly.Memory } | null {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(this.bytes)) return null;
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(this.bytes));
      const { memory, ...exports } = instance.exports as Record<string, unknown>;
      return { exports: exports as Exports, memory: memory as WebAssembly.Memory };
    } catch {
      // a page whose Content-Security-Policy forbids compiling WebAssembly (no 'wasm-unsafe-eval'): the cpu
      // backend still trains there, with the JavaScript loops
      return null;
    }
  }
}

/**
 * Below this many values a host kernel keeps its JavaScript loop: it is as fast as the copies in and out of a
 * module (a bias vector, a small layer's activations).
 */
export const HOST_SIMD_MIN_VALUES = 256;

/** An array's place in a module's heap, in floats: each array starts on a 16-byte boundary for f32x4 loads. */
export function alignedLength(n: number): number {
  return Math.ceil(n / 4) * 4;
}
