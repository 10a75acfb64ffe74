import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../backend/kernel-error.js';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from './compute-dispatch.js';
import { gemmTilingOverride } from './gemm-tiling-flag.js';
import type { GemmTiling } from './gemm-tiling.js';
import type { TensorMaker } from '../backend/tensor-maker.js';

/**
 * One WGSL matrix-product engine for every convolution Forger trains with on webgpu (forward, input
 * gradient, filter gradient) and for the dense layers' products: C[M, N] = Σ_k A(m, k) · B(k, n), where A and
 * B are not tensors but WGSL functions that read them out of the layer's tensors ("implicit GEMM": no im2col
 * copy, no transposed copy).
 *
 * A workgroup of threadsX × threadsY threads computes a (threadsY·rowsPerThread) × (threadsX·colsPerThread)
 * tile of C. Per step of `depth` along k, the threads load the A and B tiles into workgroup memory together
 * (each element is read from global memory and index-decoded once per workgroup, not once per thread that
 * needs it), then each thread multiplies its rows by its columns out of workgroup memory. The next step's
 * elements are read into registers while the current step computes. A thread's rows and columns are adjacent,
 * so it reads them from workgroup memory as vec4s, and neighbouring threads write neighbouring words of C.
 *
 * With `splits` > 1 the k range is cut into that many slices, one per workgroup layer (grid z), each
 * writing its partial C; a second program adds them (split-K: the filter gradient has few outputs and a
 * reduction over the whole batch, and would otherwise leave most of a large GPU idle).
 */
export interface GemmOperand {
  /**
   * WGSL body of `fn <a|b>Outer_(o: i32) -> vec4<i32>`: what a loaded row of A (o = m) or column of B (o = n)
   * needs for every k, decoded once before the k loop (e.g. an output pixel's image, row and column).
   * Called with o < M (or N) only.
   */
  outer: string;
  /**
   * WGSL body of `fn <a|b>Load(o: vec4<i32>, k: i32) -> f32`: the element, from the decoded outer index
   * and k. Called with k inside the slice only; it handles the convolution's own bounds (padding).
   */
  load: string;
  /** Which index runs along memory for neighbouring elements: decides which way threads share a tile's load. */
  contiguous: 'outer' | 'k';
}

export interface GemmProblem {
  /** Shown by tf.profile's kernel timings. */
  name: string;
  m: number;
  n: number;
  k: number;
  a: GemmOperand;
  b: GemmOperand;
  /** Tensors the operands read, by the binding name they use. */
  reads: Array<[string, TensorInfo]>;
  /**
   * Sizes fixed for the program (a convolution's image and filter geometry, not the batch): WGSL constants the
   * snippets read by name. Constants, not uniforms, so that the compiler turns the divisions that decode an
   * index into multiplications and drops the stride-1 remainder checks (one program per layer shape).
   */
  geometry: Array<[string, number]>;
  /** WGSL body of `fn epilogue(v: f32, m: i32, n: i32) -> f32`, applied to each finished element of C. */
  epilogue?: string;
  /** The output: an [M, N] (row-major) float32 tensor made by the caller. */
  out: TensorInfo;
  /** May the k range be cut into slices summed by a second dispatch (only without an epilogue). */
  splitK?: boolean;
}

/** Workgroup memory per tile pair, in floats: 12 KB, inside WebGPU's guaranteed 16 KB. */
const WORKGROUP_FLOATS = 3072;
/** WebGPU's guaranteed limits: 16 KB of workgroup memory, 256 threads per workgroup. */
const MAX_WORKGROUP_FLOATS = 4096;
const MAX_THREADS = 256;
/** Most elements of a tile one thread loads per step (per operand). */
const MAX_SLOTS = 8;
/** Most cells of C per thread whose k steps the generator writes out one by one (see gemmWgsl). */
const MAX_UNROLLED_CELLS = 32;
/** Split-K aims at this many workgroups: enough to fill a large GPU (an H100 has 132 SMs). */
const TARGET_WORKGROUPS = 2048;
/**
 * Fewest steps along k per slice: each slice writes a whole partial C, which a slice of a few steps would
 * spend more time writing (and the sum reading) than computing.
 */
const MIN_STEPS_PER_SPLIT = 32;
/** Cap on the partial sums buffer (floats): 16 M = 64 MB. */
const MAX_PARTIAL_FLOATS = 16 * 1024 * 1024;

/**
 * Which GPU a program is tiled for. `software`: a CPU running the shader (SwiftShader, CI's WebGPU device), whose
 * compiler must be spared (at most 8 loads per thread and operand, 12 KB of tiles; 8 × 8 cells per thread took
 * all of this machine's 24 GB). `hardware`: a GPU's own compiler and registers; the rules below were measured on
 * an NVIDIA H200 (`bench-gpu/gemm-tilings.ts`, keras-dcgan at batch 256; see the package README).
 */
export type GemmTarget = 'software' | 'hardware';

/** Software adapters by the names WebGPU reports (vendor, architecture): Dawn's SwiftShader, Mesa's llvmpipe. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software/i;

/** The target of tfjs-backend-webgpu's adapter (its `adapterInfo`); a backend without one counts as hardware. */
export function gemmTargetOf(backend: KernelBackend): GemmTarget {
  const info = (backend as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return SOFTWARE_ADAPTER.test(`${info?.vendor ?? ''} ${info?.architecture ?? ''}`) ? 'software' : 'hardware';
}

/**
 * The tile shape for an M × N output. Wide outputs (N ≥ 48: convolutions to 64 or 128 channels) take
 * 4 or 8 rows × 4 columns per thread; narrow ones (an image layer's single channel) put the threads
 * along the rows instead, where a 16-wide thread row would sit mostly idle. Always 256 threads.
 *
 * On hardware (an H200, keras-dcgan at batch 256): 4 × 4 cells per thread and 8 steps of k per tile load. Whole
 * iterations in one run: 18.9 ms against 19.4 with 8 × 4 cells / 8 steps forced on every product. The per-product
 * sweep (`bench-gpu/gemm-tilings.ts`) agrees but is noisy (the same program ±25 % within a run): summed over the 15
 * wide products, 8 × 4 / 4 steps 16.9 ms, 4 × 4 / 8 17.7, 8 × 4 / 8 18.4, 16 steps 22.9–23.1, 8 × 8 cells
 * 25.6–36.7. Smaller tiles also make more workgroups for the dense layers' few rows.
 */
export function gemmTiling(m: number, n: number, target: GemmTarget = 'software'): GemmTiling {
  let threadsX: number;
  let colsPerThread: number;
  if (n >= 48) {
    threadsX = 16;
    colsPerThread = 4;
  } else if (n > 8) {
    threadsX = 16;
    colsPerThread = Math.ceil(n / 16);
  } else {
    threadsX = nextPowerOfTwo(n);
    colsPerThread = 1;
  }
  const threadsY = 256 / threadsX;
  const hardware = target === 'hardware';
  // 8 × 4 per thread where the rows suffice (every convolution of a batch-64 DCGAN step): more products per
  // workgroup load (SwiftShader, keras-dcgan's 64/128-channel convolutions: 1.2–1.5× faster than 4 × 4).
  // Narrow outputs (≤ 8 columns, threads along the rows): one row per thread, each element of A serves only
  // those few columns anyway.
  let rowsPerThread = n <= 8 ? 1 : hardware ? 4 : m >= 8 * 1024 ? 8 : 4;
  // Few rows (a dense layer at a small batch): fewer rows per thread rather than a tile of mostly padding.
  while (rowsPerThread > 1 && threadsY * rowsPerThread >= 2 * m) rowsPerThread /= 2;
  const tileCols = threadsX * colsPerThread;
  const tileRows = threadsY * rowsPerThread;
  // The deepest step whose tiles fit workgroup memory and take each thread at most MAX_SLOTS loads per operand:
  // the generator unrolls those loads, and SwiftShader's compiler ran out of this machine's 24 GB on a program
  // with 32 (it compiles CI's WebGPU tests).
  const fits = (d: number) => (tileRows + tileCols) * d <= WORKGROUP_FLOATS && Math.max(tileRows, tileCols) * d <= MAX_SLOTS * 256;
  const depths = hardware && n > 8 ? [8, 4] : [16, 8, 4];
  const depth = depths.find(fits) ?? 4;
  return { threadsX, threadsY, rowsPerThread, colsPerThread, depth };
}

function nextPowerOfTwo(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}

/** How many k slices: enough workgroups for a large GPU, within the partial-sum cap, whole steps per slice. */
export function gemmSplits(p: { m: number; n: number; k: number }, t: GemmTiling): { splits: number; kPerSplit: number } {
  const tiles = Math.ceil(p.m / (t.threadsY * t.rowsPerThread)) * Math.ceil(p.n / (t.threadsX * t.colsPerThread));
  // Enough tiles already (a dense layer's gradient at batch 256: ~400): a second dispatch and the partial sums' traffic
  // would buy nothing.
  if (tiles >= TARGET_WORKGROUPS / 8) return { splits: 1, kPerSplit: Math.max(1, p.k) };
  const steps = Math.ceil(p.k / t.depth);
  const wanted = Math.ceil(TARGET_WORKGROUPS / tiles);
  const affordable = Math.max(1, Math.floor(MAX_PARTIAL_FLOATS / (p.m * p.n)));
  const worthwhile = Math.max(1, Math.floor(steps / MIN_STEPS_PER_SPLIT));
  const stepsPerSplit = Math.ceil(steps / Math.min(wanted, affordable, worthwhile));
  const kPerSplit = stepsPerSplit * t.depth;
  return { splits: Math.ceil(p.k / kPerSplit), kPerSplit };
}

/** `f(i)` for i = 0 … count − 1, joined by newlines: the generator unrolls what a shader compiler might not. */
function unrolled(count: number, f: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => f(i)).join('\n');
}

/** Refuses a tiling no WebGPU device is guaranteed to run, or that the generator does not write. */
export function checkGemmTiling(t: GemmTiling, where: string): void {
  const sizes = [t.threadsX, t.threadsY, t.rowsPerThread, t.colsPerThread, t.depth];
  const problem = !sizes.every((v) => Number.isInteger(v) && v >= 1) ? 'sizes must be positive integers'
    : t.threadsX * t.threadsY > MAX_THREADS ? `${t.threadsX * t.threadsY} threads per workgroup (at most ${MAX_THREADS})`
      : (t.threadsY * t.rowsPerThread + t.threadsX * t.colsPerThread) * t.depth > MAX_WORKGROUP_FLOATS ? 'tiles over 16 KB of workgroup memory'
        : t.rowsPerThread > 8 || t.colsPerThread > 8 ? 'more than 8 rows or columns per thread'
          : undefined;
  if (problem !== undefined) throw new KernelError('bad-grid', `${where}: GEMM tiling ${JSON.stringify(t)}: ${problem}`);
}

/**
 * Generated programs by what makes them: a layer's program is written once, not at every call (the unrolled
 * WGSL of a convolution is ~40 K characters: writing it and hashing it for the pipeline cache cost ~0.15 ms of
 * host time per call, ~5 ms of a batch-256 DCGAN iteration). The same string object comes back each time, so
 * the pipeline cache finds it by its cached hash.
 */
const programs = new Map<string, string>();

function programOf(p: GemmProblem, t: GemmTiling): string {
  const key = [p.name, p.a.outer, p.a.load, p.a.contiguous, p.b.outer, p.b.load, p.b.contiguous, p.epilogue ?? '',
    p.reads.map(([name]) => name).join(','), p.geometry.map(([name, v]) => `${name}=${v}`).join(','),
    t.threadsX, t.threadsY, t.rowsPerThread, t.colsPerThread, t.depth].join('\u0000');
  let code = programs.get(key);
  if (code === undefined) {
    code = gemmWgsl(p, t);
    programs.set(key, code);
  }
  return code;
}

/**
 * The WGSL of one GEMM program (exported for the tests, which print it on a failure). Every per-thread
 * array (load slots, registers, accumulators) is written out as scalars: a private array indexed in a loop
 * may live in memory instead of registers where the compiler does not unroll the loop.
 */
export function gemmWgsl(p: GemmProblem, t: GemmTiling): string {
  const threads = t.threadsX * t.threadsY;
  const tileRows = t.threadsY * t.rowsPerThread;
  const tileCols = t.threadsX * t.colsPerThread;
  const slots = { a: Math.ceil((tileRows * t.depth) / threads), b: Math.ceil((tileCols * t.depth) / threads) };
  const extent = { a: tileRows, b: tileCols };
  const first = { a: 'tileRow', b: 'tileCol' };
  const size = { a: 'g.m', b: 'g.n' };
  const operand = { a: p.a, b: p.b };
  for (const [name, value] of p.geometry) {
    if (!Number.isInteger(value)) throw new KernelError('bad-grid', `${p.name}: geometry ${name} = ${value} is not an integer`);
  }
  // Element e of a tile (e = thread + slot·threads) → (outer offset, k offset), so that neighbouring threads
  // read neighbouring memory: along k when k is contiguous, along the outer index otherwise. An element past
  // the tile gets the step `depth`: never loaded or stored.
  const slotIndices = (x: 'a' | 'b') => unrolled(slots[x], (s) => {
    const e = `(tid + ${s * threads})`;
    const [outer, step] = operand[x].contiguous === 'k'
      ? [`${e} / ${t.depth}`, `${e} % ${t.depth}`]
      : [`${e} % ${extent[x]}`, `${e} / ${extent[x]}`];
    return `  let ${x}Outer${s} = ${outer};
  let ${x}Step${s} = select(${step}, ${t.depth}, ${e} >= ${extent[x] * t.depth});
  let ${x}Info${s} = ${x}Outer_(min(${first[x]} + ${x}Outer${s}, ${size[x]} - 1));
  var ${x}Next${s} = 0.0;`;
  });
  const loadSlots = (x: 'a' | 'b', base: string) => unrolled(slots[x], (s) => `
    ${x}Next${s} = 0.0;
    if (${x}Step${s} < ${t.depth} && ${base} + ${x}Step${s} < kEnd && ${first[x]} + ${x}Outer${s} < ${size[x]}) {
      ${x}Next${s} = ${x}Load(${x}Info${s}, ${base} + ${x}Step${s});
    }`);
  // A thread's rows (columns) are adjacent in the tile: with 4 or 8 per thread the tile is an array of vec4
  // and a thread reads them four at a time (one 16-byte workgroup load for four scalar ones).
  const vec = { a: t.rowsPerThread % 4 === 0, b: t.colsPerThread % 4 === 0 };
  const perThread = { a: t.rowsPerThread, b: t.colsPerThread };
  const own = { a: 'ty', b: 'tx' };
  const tileType = (x: 'a' | 'b') => (vec[x] ? `array<vec4<f32>, ${(extent[x] * t.depth) / 4}>` : `array<f32, ${extent[x] * t.depth}>`);
  const storeSlots = (x: 'a' | 'b') => unrolled(slots[x], (s) => `
    if (${x}Step${s} < ${t.depth}) {
      let at = ${x}Step${s} * ${extent[x]} + ${x}Outer${s};
      ${vec[x] ? `${x}Tile[at / 4][at % 4]` : `${x}Tile[at]`} = ${x}Next${s};
    }`);
  const readRegisters = (x: 'a' | 'b') => {
    const base = `kk * ${extent[x]} + ${own[x]} * ${perThread[x]}`;
    if (!vec[x]) return unrolled(perThread[x], (q) => `      let ${x}${q} = ${x}Tile[${base} + ${q}];`);
    return unrolled(perThread[x] / 4, (q) => `      let ${x}v${q} = ${x}Tile[(${base}) / 4 + ${q}];`) + '\n'
      + unrolled(perThread[x], (q) => `      let ${x}${q} = ${x}v${Math.floor(q / 4)}.${'xyzw'[q % 4]};`);
  };
  const cells = Array.from({ length: t.rowsPerThread }, (_, i) => Array.from({ length: t.colsPerThread }, (_, j) => [i, j] as const)).flat();
  const multiply = `${readRegisters('a')}
${readRegisters('b')}
${cells.map(([i, j]) => `      acc${i}_${j} = fma(a${i}, b${j}, acc${i}_${j});`).join('\n')}`;
  // The steps along k written out where a thread's cells are few (on SwiftShader that made the programs 3× faster);
  // a loop where they are many: 8 × 8 cells unrolled 8–16 times made SwiftShader's compiler take all of this
  // machine's 24 GB, and a hardware GPU's compiler unrolls the loop itself where that pays.
  const unrollSteps = cells.length <= MAX_UNROLLED_CELLS;
  return `
struct Gemm { m: i32, n: i32, k: i32, kPerSplit: i32 }
${storageBindingsWgsl(p.reads.map(([name]) => name), ['out'], { name: 'g', type: 'Gemm' })}
${p.geometry.map(([name, value]) => `const ${name}: i32 = ${value};`).join('\n')}

var<workgroup> aTile: ${tileType('a')};
var<workgroup> bTile: ${tileType('b')};

fn aOuter_(o: i32) -> vec4<i32> {
${p.a.outer}
}
fn aLoad(o: vec4<i32>, k: i32) -> f32 {
${p.a.load}
}
fn bOuter_(o: i32) -> vec4<i32> {
${p.b.outer}
}
fn bLoad(o: vec4<i32>, k: i32) -> f32 {
${p.b.load}
}
fn epilogue(v: f32, m: i32, n: i32) -> f32 {
${p.epilogue ?? '  return v;'}
}

@compute @workgroup_size(${t.threadsX}, ${t.threadsY}, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  // Workgroup-uniform values only up to the k loop: its barriers need uniform control flow.
  let tileRow = i32(group.y) * ${tileRows};
  let tileCol = i32(group.x) * ${tileCols};
  let split = i32(group.z);
  let kStart = split * g.kPerSplit;
  let kEnd = min(g.k, kStart + g.kPerSplit);
  let tx = i32(local.x);
  let ty = i32(local.y);
  let tid = ty * ${t.threadsX} + tx;
${slotIndices('a')}
${slotIndices('b')}
${cells.map(([i, j]) => `  var acc${i}_${j} = 0.0;`).join('\n')}
${loadSlots('a', 'kStart')}
${loadSlots('b', 'kStart')}
  for (var k0 = kStart; k0 < kEnd; k0 += ${t.depth}) {
    workgroupBarrier();
${storeSlots('a')}
${storeSlots('b')}
    workgroupBarrier();
    // The next step's elements travel from global memory while this step computes.
    if (k0 + ${t.depth} < kEnd) {
${loadSlots('a', `k0 + ${t.depth}`)}
${loadSlots('b', `k0 + ${t.depth}`)}
    }
${unrollSteps ? unrolled(t.depth, (kk) => `    {
      let kk = ${kk};
${multiply}
    }`) : `    for (var kk = 0; kk < ${t.depth}; kk++) {
${multiply}
    }`}
  }
${cells.map(([i, j]) => `  {
    let m = tileRow + ty * ${t.rowsPerThread} + ${i};
    let n = tileCol + tx * ${t.colsPerThread} + ${j};
    if (m < g.m && n < g.n) { out[(split * g.m + m) * g.n + n] = epilogue(acc${i}_${j}, m, n); }
  }`).join('\n')}
}`;
}

const sumSplitsWgsl = `
struct Sizes { outputs: u32, splits: u32 }
${storageBindingsWgsl(['partial'], ['out'], { name: 'u', type: 'Sizes' })}
${elementwiseMainWgsl('u.outputs', `  var sum = 0.0;
  for (var s = 0u; s < u.splits; s++) { sum += partial[s * u.outputs + i]; }
  out[i] = sum;`)}`;

/**
 * Records the GEMM on tfjs-backend-webgpu's command encoder: one dispatch, or two with split-K.
 * `p.out` must be an [M, N] float32 tensor (any shape of M·N elements).
 */
export function recordGemm(backend: KernelBackend, p: GemmProblem,
  tiling: GemmTiling = gemmTilingOverride() ?? gemmTiling(p.m, p.n, gemmTargetOf(backend))): void {
  checkGemmTiling(tiling, p.name);
  if (p.m * p.n !== p.out.shape.reduce((a, b) => a * b, 1)) {
    throw new KernelError('bad-grid', `${p.name}: output of shape [${p.out.shape.join(', ')}] does not hold ${p.m} × ${p.n} elements`);
  }
  const { splits, kPerSplit } = p.splitK === true && p.epilogue === undefined ? gemmSplits(p, tiling) : { splits: 1, kPerSplit: Math.max(1, p.k) };
  const partial = splits === 1 ? p.out : (backend as TensorMaker).makeTensorInfo([splits, p.m, p.n], 'float32');
  recordComputeDispatch(backend, {
    name: p.name,
    code: programOf(p, tiling),
    reads: p.reads.map(([, t]) => t),
    writes: [partial],
    uniforms: [p.m, p.n, p.k, kPerSplit].map((v) => ({ type: 'int32' as const, data: [v] })),
    workgroups: [Math.ceil(p.n / (tiling.threadsX * tiling.colsPerThread)), Math.ceil(p.m / (tiling.threadsY * tiling.rowsPerThread)), splits],
  });
  if (partial === p.out) return;
  recordComputeDispatch(backend, {
    name: `${p.name}SumSplits`,
    code: sumSplitsWgsl,
    reads: [partial],
    writes: [p.out],
    uniforms: [{ type: 'uint32', data: [p.m * p.n] }, { type: 'uint32', data: [splits] }],
    threads: p.m * p.n,
  });
  // Released at the next submit: the queue still uses it (tfjs-backend-webgpu's own bookkeeping).
  backend.disposeData(partial.dataId);
}
