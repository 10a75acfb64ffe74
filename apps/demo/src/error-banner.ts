/**
 * The one place the page reports failures. Library errors already say what was
 * wrong and where (SamplerError, CheckpointError); we show their name, code and
 * message verbatim rather than a vague "something went wrong".
 */
export class ErrorBanner {
  constructor(
    private readonly root: HTMLElement,
    private readonly title: HTMLElement,
    private readonly message: HTMLElement,
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
    const message = describeError(error);
    if (!this.root.hidden && this.message.textContent === message) return;
    this.title.textContent = what;
    this.message.textContent = message;
    this.root.hidden = false;
  }

  clear(): void {
    this.root.hidden = true;
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return String(error);
}
