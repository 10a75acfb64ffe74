/**
 * Per-channel reductions over a [rows, channels] tensor (every axis but the last is a row: batch norm's
 * statistics and its backward sums), in one of two layouts chosen by shape:
 * - `thread`: one thread per channel loops over the rows. Neighbouring threads read neighbouring channels
 *   (coalesced), no barriers: right for many channels or few rows (DCGAN's dense batch norm, [batch, 6272]).
 * - `workgroup`: one 256-thread workgroup per channel; each thread sums every 256th row, then the workgroup
 *   adds the partial sums as a tree in workgroup memory: right for few channels over many rows (a conv batch
 *   norm, [batch·h·w, 64]).
 * Kernels write their loop as `for (var r = rowStart(local); r < u.rows; r += ROW_STEP)`, combine with
 * `total(local.x, v)` (called in uniform control flow), take the channel from `channelIndex(...)` and write
 * where `writesResult(local)`. Channels index a 2-D workgroup grid (one dimension holds at most 65,535).
 */
export type ChannelLayout = 'thread' | 'workgroup';

const WORKGROUP_THREADS = 256;
const THREAD_LAYOUT_WORKGROUP = 64;

export function channelLayoutOf(rows: number, channels: number): ChannelLayout {
  return rows <= 4096 || channels >= 1024 ? 'thread' : 'workgroup';
}

export function channelReductionWgsl(layout: ChannelLayout): string {
  if (layout === 'thread') {
    return `
const ROW_STEP = 1u;
const THREADS = ${THREAD_LAYOUT_WORKGROUP}u;
fn channelIndex(local: vec3<u32>, workgroup: vec3<u32>, groups: vec3<u32>) -> u32 {
  return (workgroup.x + workgroup.y * groups.x) * THREADS + local.x;
}
fn rowStart(local: vec3<u32>) -> u32 { return 0u; }
fn total(thread: u32, value: f32) -> f32 { return value; }
fn writesResult(local: vec3<u32>) -> bool { return true; }`;
  }
  return `
const ROW_STEP = ${WORKGROUP_THREADS}u;
const THREADS = ${WORKGROUP_THREADS}u;
var<workgroup> partialSums: array<f32, ${WORKGROUP_THREADS}>;
fn channelIndex(local: vec3<u32>, workgroup: vec3<u32>, groups: vec3<u32>) -> u32 {
  return workgroup.x + workgroup.y * groups.x;
}
fn rowStart(local: vec3<u32>) -> u32 { return local.x; }
// Every thread of the workgroup calls it (uniform control flow); each gets the workgroup's total.
fn total(thread: u32, value: f32) -> f32 {
  partialSums[thread] = value;
  workgroupBarrier();
  for (var stride = ${WORKGROUP_THREADS / 2}u; stride > 0u; stride = stride >> 1u) {
    if (thread < stride) { partialSums[thread] += partialSums[thread + stride]; }
    workgroupBarrier();
  }
  let sum = partialSums[0];
  workgroupBarrier();
  return sum;
}
fn writesResult(local: vec3<u32>) -> bool { return local.x == 0u; }`;
}

/** The workgroup grid for `channels` in `layout`. */
export function channelGrid(layout: ChannelLayout, channels: number, maxPerDimension: number): [number, number, number] {
  const groups = layout === 'thread' ? Math.ceil(channels / THREAD_LAYOUT_WORKGROUP) : channels;
  const x = Math.max(1, Math.min(groups, maxPerDimension));
  return [x, Math.ceil(groups / x), 1];
}
