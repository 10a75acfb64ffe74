import { ForgerError } from '@forger/core';

export type ModelErrorCode =
  | 'unknown-layer'
  | 'bad-spec'
  | 'missing-tensor'
  | 'unexpected-tensor'
  | 'shape-mismatch'
  | 'missing-rng'
  | 'bad-input'
  | 'bad-optimizer-state'
  | 'bad-options'
  | 'gradients-missing';

/**
 * Everything @forger/models rejects: a spec it cannot build, a checkpoint whose
 * tensors do not fit the spec, an optimizer state that does not fit the
 * network. `where` names the layer or tensor at fault.
 */
export class ModelError extends ForgerError<ModelErrorCode> {
  override readonly name = 'ModelError';
}
