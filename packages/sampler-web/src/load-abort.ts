import { SamplerError } from './sampler-error.js';

/**
 * Sampler.load's cancellation (LoadOptions.signal, a standard AbortSignal). A load checks the signal between its
 * stages: before it starts, during the download (the fetch itself is aborted), after the backend starts, after the
 * weights are uploaded and between the layers of the warm-up. What runs inside one stage without an await (decoding,
 * the synchronous weight upload, one layer) cannot be interrupted: JavaScript gives an abort no chance to land there.
 */
export function throwIfLoadAborted(signal: AbortSignal | undefined, where: string, stage: string): void {
  if (signal?.aborted) throw loadAborted(signal, where, stage);
}

/** The typed error of an aborted load: code 'aborted', with the signal's reason as its cause. */
export function loadAborted(signal: AbortSignal, where: string, stage: string): SamplerError {
  return new SamplerError('aborted', `loading ${where} was aborted ${stage}`, { where, cause: signal.reason });
}
