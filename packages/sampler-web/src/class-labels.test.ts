import { describe, expect, it } from 'vitest';
import { acganSpec, dcganSpec } from '@forger/models';
import { resolveClassLabels } from './class-labels.js';
import { SamplerError } from './sampler-error.js';

const digits = acganSpec({ numClasses: 10, classNames: [...'0123456789'] });
const named = acganSpec({ numClasses: 3, classNames: ['cat', 'dog', 'frog'] });

function refusal(fn: () => unknown): SamplerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SamplerError);
    return e as SamplerError;
  }
  throw new Error('expected a SamplerError, nothing was thrown');
}

describe('resolveClassLabels (sample / rank class options)', () => {
  it('classLabel gives every image that class; labels one each; neither cycles through the classes', () => {
    expect(Array.from(resolveClassLabels(digits, { classLabel: 7 }, 4)!)).toEqual([7, 7, 7, 7]);
    expect(Array.from(resolveClassLabels(digits, { labels: [3, 1, 4] }, 3)!)).toEqual([3, 1, 4]);
    expect(Array.from(resolveClassLabels(digits, {}, 12)!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('refuses a class outside the model, naming the valid ones', () => {
    const e = refusal(() => resolveClassLabels(digits, { classLabel: 10 }, 1));
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toBe("class 10 is not one of the model's classes 0–9");
    expect(e.where).toBe('classLabel');
    expect(refusal(() => resolveClassLabels(named, { labels: [0, -1] }, 2)).message).toBe("class -1 is not one of the model's classes 0 (cat), 1 (dog), 2 (frog)");
    expect(refusal(() => resolveClassLabels(digits, { classLabel: 1.5 }, 1)).code).toBe('invalid-argument');
    expect(refusal(() => resolveClassLabels(digits, { labels: [1] }, 2)).message).toContain('1 labels for 2 images');
    expect(refusal(() => resolveClassLabels(digits, { labels: [1], classLabel: 1 }, 1)).message).toContain('not both');
  });

  it('refuses any class on an unconditional model with the typed not-conditional error', () => {
    const spec = dcganSpec();
    expect(resolveClassLabels(spec, {}, 5)).toBeUndefined();
    const e = refusal(() => resolveClassLabels(spec, { classLabel: 0 }, 1));
    expect(e.code).toBe('not-conditional');
    expect(e.message).toBe('this dcgan generator is unconditional: it draws no given class, so classLabel cannot apply');
    expect(refusal(() => resolveClassLabels(spec, { labels: [0] }, 1)).where).toBe('labels');
  });
});
