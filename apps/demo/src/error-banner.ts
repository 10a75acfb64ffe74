/**
 * The one place the page reports failures: one line a visitor can act on, and
 * the library's own error (its name, code and message, which may name protobuf
 * fields or tensors) folded into a <details> for whoever wants to report it.
 */
export class ErrorBanner {
  constructor(
    private readonly root: HTMLElement,
    private readonly title: HTMLElement,
    private readonly message: HTMLElement,
    private readonly details: HTMLElement,
    close: HTMLButtonElement,
  ) {
    close.addEventListener('click', () => this.clear());
  }

  /**
   * A model that cannot sample fails every panel that draws from it (samples, interpolation, arithmetic), each with
   * the same message: the first action to fail titles the banner and the repeats do not retitle it (issue 18: every
   * such failure read "Could not compute the arithmetic", the last panel to render). A different failure replaces it.
   */
  show(what: string, error: unknown): void {
    const details = describeError(error);
    if (!this.root.hidden && this.details.textContent === details) return;
    this.title.textContent = what;
    this.message.textContent = humanMessage(error);
    this.details.textContent = details;
    this.root.hidden = false;
  }

  clear(): void {
    this.root.hidden = true;
  }
}

/** The library error as it is: `CheckpointError (truncated): …`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return String(error);
}

const samplerMessages: Record<string, string> = {
  'http-status': 'The server did not send that file.',
  'content-type': 'The server sent a web page where a checkpoint should be.',
  'fetch-failed': 'The file could not be downloaded.',
  timeout: 'Loading took too long; try again.',
  'backend-unavailable': 'This browser cannot run that backend here; try another one.',
  'unsupported-model': 'This checkpoint holds a model this page cannot run.',
  'invalid-argument': 'That choice is not possible for this model.',
};

/** One line for a visitor, by the error's class and code. */
export function humanMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | undefined)?.code;
  if (name === 'CheckpointError') return 'This is not a complete Forger checkpoint: the file may be truncated, damaged or of another kind.';
  if (name === 'SamplerError' && typeof code === 'string' && samplerMessages[code]) return samplerMessages[code]!;
  return 'Something went wrong; the details below say what.';
}
