import * as tf from '@tensorflow/tfjs-core';

/** What one GPU dispatch costs on this machine, apart from the work it does (issue 7's second cost). */
export interface DispatchOverhead {
  /** dispatches in the chain */
  dispatches: number;
  /** elements each one adds */
  elements: number;
  /** JS time to record one (tfjs engine, bind group, uniforms, encoding) */
  hostMsPerDispatch: number;
  /** wall time per dispatch until the chain's result is back on the CPU: ≫ host means a device-side cost */
  wallMsPerDispatch: number;
  /** one tiny dispatch and its readback: the price of each loss read */
  roundTripMs: number;
}

/**
 * A chain of `dispatches` dependent element-wise additions on a small tensor (each one tfjs-core Add, one GPU
 * dispatch on webgpu), timed from the first recording to the readback of the last result, with the JS recording
 * time apart. The work per dispatch is negligible, so wall / dispatches is the per-dispatch cost of the whole
 * path: when it is close to host / dispatches the JS side bounds it, when far above it is the device side
 * (pass boundaries, barriers, submits). Compared across machines, it says whether fewer dispatches or a faster
 * host matter more. Run on the active backend after a warm-up chain (pipeline compiled, buffers pooled).
 */
export async function measureDispatchOverhead(dispatches = 500, elements = 256): Promise<DispatchOverhead> {
  // tfjs-backend-webgpu computes small ops on CPU-resident data on the CPU: keep the whole chain on the GPU.
  const cpuForward = tf.getBackend() === 'webgpu' ? tf.env().getBool('WEBGPU_CPU_FORWARD') : undefined;
  if (cpuForward !== undefined) tf.env().set('WEBGPU_CPU_FORWARD', false);
  const one = tf.scalar(1);
  const chain = (n: number): { result: tf.Tensor; hostMs: number } => {
    let x: tf.Tensor = tf.zeros([elements]);
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const next = tf.add(x, one);
      x.dispose();
      x = next;
    }
    return { result: x, hostMs: performance.now() - start };
  };
  try {
    const warm = chain(20);
    await warm.result.data();
    warm.result.dispose();

    const roundTripStart = performance.now();
    const single = chain(1);
    await single.result.data();
    const roundTripMs = performance.now() - roundTripStart;
    single.result.dispose();

    const start = performance.now();
    const timed = chain(dispatches);
    const values = await timed.result.data();
    const wallMs = performance.now() - start;
    timed.result.dispose();
    if (values[0] !== dispatches) throw new Error(`dispatch-overhead chain computed ${values[0]}, expected ${dispatches}`);
    return {
      dispatches,
      elements,
      hostMsPerDispatch: round(timed.hostMs / dispatches),
      wallMsPerDispatch: round(wallMs / dispatches),
      roundTripMs: round(roundTripMs),
    };
  } finally {
    one.dispose();
    if (cpuForward !== undefined) tf.env().set('WEBGPU_CPU_FORWARD', cpuForward);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10000) / 10000;
}
