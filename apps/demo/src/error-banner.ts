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

  show(what: string, error: unknown): void {
    this.title.textContent = what;
    this.message.textContent = describeError(error);
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
