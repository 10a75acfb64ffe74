import { ForgerError } from '@forger/core';

/**
 * Why a sampler call failed. Checkpoint problems are not wrapped: a
 * `CheckpointError` from @forger/core reaches the caller with its own code and
 * message, because it already says which tensor or field is wrong.
 */
export type SamplerErrorCode =
  | 'fetch-failed' // network error, CORS, or the request broke off
  | 'http-status' // the server answered, but not with 2xx (404, 500, ...)
  | 'content-type' // the server sent an HTML page or JSON instead of a checkpoint
  | 'timeout' // loading or backend start took longer than the caller allowed
  | 'aborted' // the caller aborted Sampler.load's signal; the cause is signal.reason, and everything the load made is freed
  | 'backend-unavailable' // no backend in the requested list could start
  | 'invalid-argument' // count, seed, z or labels do not fit the model
  | 'not-conditional' // a class (classLabel, labels) asked of an unconditional generator, which cannot draw one
  | 'no-discriminator' // rank() on a generator-only export
  | 'unsupported-model' // the checkpoint's spec cannot run: bad shapes, output ≠ image, activations over the memory limit
  | 'not-finite' // the generator produced NaN or Inf pixels (weights that overflow): never a silent black image
  | 'engine-failed' // the backend's engine trapped (WASM out of bounds, Aborted()) and was restarted: load again
  | 'backend-restarted' // another sampler's engine failure restarted the backend this one was loaded on: load again
  | 'disposed'; // the sampler was used after dispose()

/** `where` is the URL, argument or backend the error is about. */
export class SamplerError extends ForgerError<SamplerErrorCode> {
  override readonly name = 'SamplerError';
}
