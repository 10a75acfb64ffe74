import { describe, expect, it } from 'vitest';
import { ErrorBanner } from './error-banner.js';

/** The few members of the banner's elements that ErrorBanner touches (this test runs in Node, without a DOM). */
function fakeBanner() {
  const root = { hidden: true } as HTMLElement;
  const title = { textContent: '' } as HTMLElement;
  const message = { textContent: '' } as HTMLElement;
  const details = { textContent: '' } as HTMLElement;
  let onClose = (): void => {};
  const close = { addEventListener: (_type: string, listener: () => void) => (onClose = listener) } as unknown as HTMLButtonElement;
  return { banner: new ErrorBanner(root, title, message, details, close), root, title, message, details, close: () => onClose() };
}

class SamplerError extends Error {
  override readonly name = 'SamplerError';
  readonly code = 'backend-failed';
}

describe('ErrorBanner', () => {
  it('keeps the title of the first action that failed when the other panels fail the same way', () => {
    const { banner, root, title, message, details } = fakeBanner();
    // what a model that cannot sample does after it loads: all three panels render, all three fail alike
    banner.show('Could not generate samples', new SamplerError('memory access out of bounds'));
    banner.show('Could not interpolate', new SamplerError('memory access out of bounds'));
    banner.show('Could not compute the arithmetic', new SamplerError('memory access out of bounds'));
    expect(root.hidden).toBe(false);
    expect(title.textContent).toBe('Could not generate samples');
    expect(details.textContent).toBe('SamplerError (backend-failed): memory access out of bounds');
    expect(message.textContent).toBe('Something went wrong; the details below say what.');
  });

  it('titles each different failure by its own action, and again after the banner is closed', () => {
    const { banner, title, close } = fakeBanner();
    banner.show('Could not generate samples', new SamplerError('memory access out of bounds'));
    banner.show('Could not load digits.forger', new Error('bad magic'));
    expect(title.textContent).toBe('Could not load digits.forger');
    close();
    banner.show('Could not compute the arithmetic', new Error('bad magic'));
    expect(title.textContent).toBe('Could not compute the arithmetic');
  });
});
