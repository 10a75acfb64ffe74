/**
 * How the WGSL matrix-product engine (implicit-gemm.ts) cuts a product into workgroups: threadsX × threadsY threads
 * per workgroup, rowsPerThread × colsPerThread cells of C per thread, `depth` elements of k per step. Its own file:
 * both the engine and the flag that forces a tiling (gemm-tiling-flag.ts) use it.
 */
export interface GemmTiling {
  threadsX: number;
  threadsY: number;
  rowsPerThread: number;
  colsPerThread: number;
  /** Elements of k per step. */
  depth: number;
}
