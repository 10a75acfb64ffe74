/**
 * The TensorFlow.js backends Forger trains on in Node, the one list every name is derived from: `forger
 * --backend`'s choices (plus 'auto'), the backends Forger registers kernels for, the ones whose tensors live in
 * JavaScript-visible memory. 'tensorflow' is tfjs-node (native TensorFlow), which has fast kernels of its own.
 */
export const NODE_BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type NodeBackendName = (typeof NODE_BACKENDS)[number];

/** The backends Forger registers kernels for: all but tfjs-node. */
export type KernelBackendName = Exclude<NodeBackendName, 'tensorflow'>;

/** The backends whose tensors live in JavaScript-visible memory: a kernel there runs as one loop in JS. */
export type HostBackendName = Extract<KernelBackendName, 'cpu' | 'wasm'>;
