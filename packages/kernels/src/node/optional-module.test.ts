import { describe, expect, test } from 'vitest';
import { importOptional } from './optional-module.js';

describe('importOptional', () => {
  test('resolves to undefined for a package that is not installed', async () => {
    expect(await importOptional('@forger/no-such-package')).toBeUndefined();
  });

  test('returns a package that is installed', async () => {
    const mod = await importOptional<{ create: unknown }>('webgpu');
    expect(typeof mod?.create).toBe('function');
  });
});
