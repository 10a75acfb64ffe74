import { ForgerError } from '@forger/core';

export type TrainingKernelErrorCode = 'unsupported-layout' | 'missing-kernel' | 'unsupported-attrs' | 'bad-input';

/** A Forger training kernel was asked for something it does not implement. */
export class TrainingKernelError extends ForgerError<TrainingKernelErrorCode> {
  override readonly name = 'TrainingKernelError';
}
