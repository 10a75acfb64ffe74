import type { NodeBackendName } from '@forger/kernels';

/** What `--backend` takes: a backend of NODE_BACKENDS (the one list of names, in @forger/kernels), or `auto`. */
export type BackendChoice = 'auto' | NodeBackendName;
