import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, parseIdxImages, parseIdxLabels } from './idx.js';
import { thrown } from './test-support/thrown.js';

describe('encodeIdx / parseIdx', () => {
  it('writes the LeCun layout: magic 0x00000803 then big-endian dimensions then the bytes', () => {
    const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
    const bytes = encodeIdx([2, 3, 4], pixels);
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
    expect(bytes.length).toBe(16 + 24);
    expect(Array.from(bytes.subarray(16))).toEqual(Array.from(pixels));
  });

  it('round-trips, reading dimensions above 255 in big-endian order', () => {
    const labels = Uint8Array.from({ length: 70_000 }, (_, i) => i % 10);
    const encoded = encodeIdx([70_000], labels);
    expect(Array.from(encoded.subarray(0, 8))).toEqual([0, 0, 8, 1, 0, 0x01, 0x11, 0x70]);
    const { dims, data } = parseIdx(encoded, 'labels');
    expect(dims).toEqual([70_000]);
    expect(data.length).toBe(labels.length);
    expect(data.every((label, i) => label === labels[i])).toBe(true);
  });

  it('reads an ArrayBuffer as well as a Uint8Array (the browser gets ArrayBuffers from fetch)', () => {
    const encoded = encodeIdx([1, 2, 2], Uint8Array.of(1, 2, 3, 4));
    const copy = encoded.slice().buffer;
    const images = parseIdxImages(copy, 'images.idx');
    expect(images.count).toBe(1);
    expect(images.image).toEqual({ height: 2, width: 2, channels: 1 });
    expect(Array.from(images.pixels)).toEqual([1, 2, 3, 4]);
  });

  it('reads rank-4 colour images as NHWC (magic 0x00000804)', () => {
    const pixels = Uint8Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i);
    const images = parseIdxImages(encodeIdx([2, 2, 2, 3], pixels), 'rgb.idx');
    expect(images.count).toBe(2);
    expect(images.image).toEqual({ height: 2, width: 2, channels: 3 });
  });

  it('refuses images with no rows, columns or channels (issue 18: height 0 reached the network)', () => {
    for (const dims of [[4, 0, 28], [4, 28, 0], [4, 2, 2, 0]]) {
      const error = thrown(() => parseIdxImages(encodeIdx(dims, new Uint8Array(0)), 'empty.idx'));
      expect(error.code).toBe('bad-shape');
      expect(error.message).toMatch(/^empty\.idx: bad-shape: .*found \d+×\d+×\d+/);
    }
  });

  it('refuses data that does not fill the dimensions', () => {
    const error = thrown(() => encodeIdx([2, 2], new Uint8Array(3)));
    expect(error.code).toBe('count-mismatch');
    expect(error.expected).toContain('4 bytes');
  });
});

describe('parseIdx on bad input', () => {
  const good = encodeIdx([3, 2, 2], new Uint8Array(12));

  it('wrong magic number: names the file and shows the magic it found', () => {
    const bytes = good.slice();
    bytes[0] = 0x1f;
    bytes[1] = 0x8b;
    const error = thrown(() => parseIdx(bytes, 'data/train-images.gz'));
    expect(error.code).toBe('bad-magic');
    expect(error.file).toBe('data/train-images.gz');
    expect(error.found).toBe('0x1f8b0803');
    expect(error.message).toContain('data/train-images.gz');
    expect(error.message).toContain('0x1f8b0803');
  });

  it('an element type other than unsigned byte', () => {
    const bytes = good.slice();
    bytes[2] = 0x0d;
    const error = thrown(() => parseIdx(bytes, 'floats.idx'));
    expect(error.code).toBe('unsupported-type');
    expect(error.found).toContain('float32');
  });

  it('a file shorter than its magic number', () => {
    expect(thrown(() => parseIdx(Uint8Array.of(0, 0), 'x')).code).toBe('truncated');
  });

  it('a header cut short', () => {
    const error = thrown(() => parseIdx(good.subarray(0, 10), 'images'));
    expect(error.code).toBe('truncated');
    expect(error.expected).toContain('16-byte header');
  });

  it('data cut short: reports expected and found byte counts', () => {
    const error = thrown(() => parseIdx(good.subarray(0, good.length - 1), 'images'));
    expect(error.code).toBe('truncated');
    expect(error.expected).toContain(`${good.length} bytes`);
    expect(error.found).toBe(`${good.length - 1} bytes`);
  });

  it('bytes after the declared data', () => {
    const longer = new Uint8Array(good.length + 5);
    longer.set(good);
    const error = thrown(() => parseIdx(longer, 'images'));
    expect(error.code).toBe('trailing-bytes');
  });

  it('a label file given as images, and an image file given as labels (swapped paths)', () => {
    const labels = encodeIdx([3], Uint8Array.of(0, 1, 2));
    const asImages = thrown(() => parseIdxImages(labels, 'labels-idx1'));
    expect(asImages.code).toBe('bad-magic');
    expect(asImages.expected).toContain('0x00000803');
    expect(asImages.found).toContain('0x00000801');
    const asLabels = thrown(() => parseIdxLabels(good, 'images-idx3'));
    expect(asLabels.code).toBe('bad-magic');
    expect(asLabels.expected).toContain('0x00000801');
    expect(asLabels.found).toContain('0x00000803');
  });
});
