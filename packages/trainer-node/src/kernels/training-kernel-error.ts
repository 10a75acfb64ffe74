export type TrainingKernelErrorCode = 'unsupported-layout' | 'missing-kernel' | 'unsupported-attrs' | 'bad-input';

/** A Forger training kernel was asked for something it does not implement. */
export class TrainingKernelError extends Error {
  override readonly name = 'TrainingKernelError';
  constructor(readonly code: TrainingKernelErrorCode, message: string) {
    super(message);
  }
}
