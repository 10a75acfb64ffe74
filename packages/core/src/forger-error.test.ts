import { describe, expect, it } from 'vitest';
import { CheckpointError, ForgerError, ImageGridError, RngError } from './index.js';

describe('ForgerError', () => {
  it('is the base of core\'s errors, with one (code, message, { where, cause }) shape', () => {
    const cause = new Error('inner');
    const e = new CheckpointError('bad-tensor', 'declares 4 values but carries 3', { where: 'generator[0] "dense/kernel"', cause });
    expect(e).toBeInstanceOf(ForgerError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CheckpointError');
    expect(e.code).toBe('bad-tensor');
    expect(e.where).toBe('generator[0] "dense/kernel"');
    expect(e.cause).toBe(cause);
    expect(e.message).toBe('generator[0] "dense/kernel": declares 4 values but carries 3');
    expect(new RngError('bad-seed', 'seed must be an integer')).toBeInstanceOf(ForgerError);
    expect(new ImageGridError('bad-image-batch', 'images need 1, 3 or 4 channels, got 2').name).toBe('ImageGridError');
  });

  it('leaves where and cause unset when not given', () => {
    const e = new RngError('bad-state', 'not an Rng state');
    expect(e.where).toBeUndefined();
    expect('cause' in e).toBe(false);
    expect(e.message).toBe('not an Rng state');
  });
});
