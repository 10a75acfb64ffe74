import { SamplerError } from './sampler-error.js';

/**
 * Sampler.load's cancellation (LoadOptions.signal, a standard AbortSignal). A load checks the signal between its
 * stages: before it starts, during the download (the fetch itself is aborted), before each backend it tries, after the
 * backend starts and after the weights are uploaded. What runs inside one stage without an await (decoding, the
 * synchronous weight upload) cannot be interrupted: JavaScript gives an abort no chance to land there. Nor can a
 * backend that is starting: tfjs's engine runs one backend initialisation at a time, so a newer load would wait for it
 * anyway.
 *
 * Load has no warm-up pass to cancel. On a CPU-emulated WebGPU adapter the tens of seconds are the first sample():
 * a DCGAN load took 1.6 s and its first batch of 64 37 s on SwiftShader here (2026-12-05, load average 9-17), and a
 * one-image warm-up in load was measured to add 9.5 s without making that batch faster: Forger's WGSL kernels bake
 * their sizes, batch included, into the shader (@forger/kernels' implicit-gemm.ts), so batch 1 compiles other shaders.
 */
export function throwIfLoadAborted(signal: AbortSignal | undefined, where: string, stage: string): void {
  if (signal?.aborted) throw loadAborted(signal, where, stage);
}

/** The typed error of an aborted load: code 'aborted', with the signal's reason as its cause. */
export function loadAborted(signal: AbortSignal, where: string, stage: string): SamplerError {
  return new SamplerError('aborted', `loading ${where} was aborted ${stage}`, { where, cause: signal.reason });
}
