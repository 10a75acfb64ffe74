import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './resolve-backend.js';

/**
 * tfjs keeps one global engine, so a backend is shared by every sampler on the
 * page. A sampler that *started* a backend holds a lease on it; when the last
 * lease is returned the backend is torn down (its buffers, WASM heap and GPU
 * device freed) and its factory registered again so a later load can restart it.
 * A backend the page started before us is never torn down by us.
 */
const leases = new Map<BackendName, number>();
/** Bumped each time a backend is restarted after an engine failure: leases and samplers of an older one are void. */
const generations = new Map<BackendName, number>();

// tfjs-backend-webgpu and -wasm register with these priorities; we restore them.
const priorities: Record<BackendName, number> = { webgpu: 3, wasm: 2 };

export interface BackendLease {
  readonly name: BackendName;
  /** False once the backend was restarted after an engine failure: what was loaded on it is gone. */
  readonly alive: boolean;
  release(): void;
}

/**
 * Whether tfjs has a live instance of `name`. Not tf.findBackend: for a
 * registered but idle backend it *starts* one, which is exactly what a probe
 * must not do.
 */
export function isBackendRunning(name: BackendName): boolean {
  return tf.engine().registry[name] != null;
}

export function leaseBackend(name: BackendName, startedByUs: boolean): BackendLease {
  let released = false;
  const owns = startedByUs || (leases.get(name) ?? 0) > 0;
  const generation = backendGeneration(name);
  if (owns) leases.set(name, (leases.get(name) ?? 0) + 1);
  return {
    name,
    get alive() {
      return backendGeneration(name) === generation;
    },
    release() {
      if (released || !owns) return;
      released = true;
      // The backend this lease was on was restarted: its count was reset with it.
      if (backendGeneration(name) !== generation) return;
      const left = (leases.get(name) ?? 1) - 1;
      leases.set(name, left);
      if (left === 0) tearDownBackend(name);
    },
  };
}

function tearDownBackend(name: BackendName): void {
  const factory = tf.findBackendFactory(name);
  const backend = tf.engine().registry[name] as (tf.KernelBackend & { device?: { destroy(): void } }) | undefined;
  // tfjs's WebGPU dispose() frees buffers but keeps the GPUDevice alive.
  const device = name === 'webgpu' ? backend?.device : undefined;
  tf.removeBackend(name);
  device?.destroy();
  if (factory) tf.registerBackend(name, factory, priorities[name]);
}

function backendGeneration(name: BackendName): number {
  return generations.get(name) ?? 0;
}

/**
 * After an engine failure: tear the backend down whoever started it (it is dead for everyone), void every lease on it,
 * and register its factory again so that the next load starts a fresh one.
 */
export function restartBackend(name: BackendName): void {
  generations.set(name, backendGeneration(name) + 1);
  leases.set(name, 0);
  if (tf.engine().registryFactory[name] !== undefined) tearDownBackend(name);
}

/** For tests: how many samplers hold each backend. */
export function backendLeaseCount(name: BackendName): number {
  return leases.get(name) ?? 0;
}
