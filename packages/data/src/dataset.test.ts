import { describe, expect, it } from 'vitest';
import { firstExamples, imageAt, type Dataset } from './dataset.js';

const dataset: Dataset = {
  name: 'tiny', split: 'test', count: 3, image: { height: 1, width: 2, channels: 1 }, numClasses: 2, classNames: ['a', 'b'],
  images: Uint8Array.from([1, 2, 3, 4, 5, 6]), labels: Uint8Array.from([0, 1, 0]),
};

describe('firstExamples', () => {
  it('keeps the first n images with their labels, as views', () => {
    const two = firstExamples(dataset, 2);
    expect(two.count).toBe(2);
    expect([...imageAt(two, 1)]).toEqual([3, 4]);
    expect([...two.labels]).toEqual([0, 1]);
    expect(two.images.buffer).toBe(dataset.images.buffer);
  });

  it('keeps every image when asked for more than there are', () => {
    expect(firstExamples(dataset, 10).count).toBe(3);
  });
});
