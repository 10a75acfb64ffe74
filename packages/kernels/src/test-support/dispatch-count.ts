import * as tf from '@tensorflow/tfjs-core';
import { customDispatchCount } from '../webgpu/compute-dispatch.js';

/** What one call of a training iteration launched. */
export interface DispatchCount {
  backend: string;
  /** Kernels the engine ran (tf.profile's list): the same on every backend for the same iteration. */
  kernels: number;
  /**
   * webgpu only: compute dispatches actually recorded on the GPU, counting those inside composite kernels
   * (the filter gradient's pad/transpose/conv/slice) and Forger's own WGSL programs.
   */
  gpuDispatches?: number;
  /** Kernel name → calls, most called first. */
  byKernel: Array<{ name: string; calls: number; ms: number }>;
  /** Sum of the kernels' times (GPU timestamps on webgpu where the adapter has them; wall time elsewhere). */
  kernelMs: number;
}

interface RecordingBackend {
  recordAndSubmit?: (...args: unknown[]) => unknown;
}

/**
 * Runs `iteration` once under tf.profile and counts the kernels it ran, by name, with their times; on
 * webgpu also the GPU dispatches (wrapping the backend's `recordAndSubmit`, tfjs's one place that records
 * a program). `iteration` runs inside tf.tidy; the tensors it returns are disposed after counting. Profiling submits every webgpu program on its own
 * to time it: count and profile with this, time iterations without it.
 */
export async function countDispatches(iteration: () => tf.TensorContainer | void): Promise<DispatchCount> {
  const backendName = tf.getBackend();
  const backend = tf.backend() as unknown as RecordingBackend;
  let recorded = 0;
  const original = backend.recordAndSubmit;
  if (original !== undefined) {
    backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
      recorded++;
      return original.apply(this, args);
    };
  }
  const customBefore = customDispatchCount();
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    // Inside a tidy: intermediates are freed as in a training loop, what the iteration returns is kept.
    info = await tf.profile(() => tf.tidy(() => iteration() ?? []));
  } finally {
    if (original !== undefined) backend.recordAndSubmit = original;
  }
  tf.dispose(info.result as tf.TensorContainer);
  const byName = new Map<string, { calls: number; ms: number }>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernelMs += ms;
    const entry = byName.get(k.name) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += ms;
    byName.set(k.name, entry);
  }
  const byKernel = [...byName].map(([name, e]) => ({ name, calls: e.calls, ms: round(e.ms) })).sort((a, b) => b.calls - a.calls || b.ms - a.ms);
  return {
    backend: backendName,
    kernels: info.kernels.length,
    ...(original !== undefined ? { gpuDispatches: recorded + customDispatchCount() - customBefore } : {}),
    byKernel,
    kernelMs: round(kernelMs),
  };
}

/** The kernels that took the most time, e.g. issue 7's "Conv2DBackpropFilter: 8 calls, 304 ms". */
export function topKernelsByTime(count: DispatchCount, n = 10): Array<{ name: string; calls: number; ms: number }> {
  return [...count.byKernel].sort((a, b) => b.ms - a.ms).slice(0, n);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
