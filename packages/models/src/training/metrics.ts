import type * as tf from '@tensorflow/tfjs-core';

/** Reads every metric (one GPU sync per scalar, so call it when you log, not every step). */
export async function readMetrics(metrics: Record<string, tf.Scalar>): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(metrics).map(async ([k, v]) => [k, (await v.data())[0]!] as const));
  return Object.fromEntries(entries);
}

export function disposeMetrics(metrics: Record<string, tf.Scalar>): void {
  for (const v of Object.values(metrics)) v.dispose();
}
