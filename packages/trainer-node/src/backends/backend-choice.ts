import { NODE_BACKENDS, type NodeBackendName } from '@forger/kernels';

/** What `--backend` takes: a backend of NODE_BACKENDS (the one list of names, in @forger/kernels), or `auto`. */
export type BackendChoice = 'auto' | NodeBackendName;

/** Every value of `--backend`, derived from NODE_BACKENDS: `auto` first, as the CLI's help lists it. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...NODE_BACKENDS];
