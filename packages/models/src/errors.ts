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
  | 'gradients-missing'
  /** A spec whose activations for one sample exceed MAX_ACTIVATION_BYTES_PER_SAMPLE. */
  | 'too-large'
  /** A network produced NaN or Inf (weights that overflow in an activation). */
  | 'not-finite';

/**
 * Everything @forger/models rejects: a spec it cannot build, a checkpoint whose
 * tensors do not fit the spec, an optimizer state that does not fit the
 * network. `where` names the layer or tensor at fault.
 */
export class ModelError extends ForgerError<ModelErrorCode> {
  override readonly name = 'ModelError';
}
