import { describe, expect, it } from 'vitest';
import { ImageGridError, imagesToRgba, tileImages } from './grid.js';

function pixel(rgba: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 4;
  return [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!, rgba[i + 3]!];
}

describe('imagesToRgba', () => {
  it('maps [-1, 1] and [0, 1] to 0..255 and replicates grayscale', () => {
    const gray = Float32Array.of(-1, 0, 1, 2);
    expect([...imagesToRgba(gray, { count: 1, height: 2, width: 2, channels: 1 }, 'minus-one-one')]).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    ]);
    const rgb = Float32Array.of(0, 0.5, 1);
    expect([...imagesToRgba(rgb, { count: 1, height: 1, width: 1, channels: 3 }, 'zero-one')]).toEqual([0, 128, 255, 255]);
  });

  it('refuses a batch whose length does not match its shape', () => {
    expect(() => imagesToRgba(new Float32Array(5), { count: 1, height: 2, width: 2, channels: 1 }, 'zero-one')).toThrow(ImageGridError);
    expect(() => imagesToRgba(new Float32Array(8), { count: 1, height: 2, width: 2, channels: 2 }, 'zero-one')).toThrow(/channels/);
  });
});

describe('tileImages', () => {
  // Five 2×3 grayscale images; image n is filled with the value n/4 in [0, 1].
  const count = 5;
  const h = 2;
  const w = 3;
  const values = new Float32Array(count * h * w);
  for (let n = 0; n < count; n++) values.fill(n / 4, n * h * w, (n + 1) * h * w);

  it('lays images out row by row with a border, ceil(sqrt(count)) columns by default', () => {
    const grid = tileImages(values, { count, height: h, width: w, channels: 1 }, 'zero-one', { border: 1, background: [10, 20, 30, 255] });
    // 3 columns, 2 rows: width 3·3 + 4 borders, height 2·2 + 3 borders.
    expect(grid.width).toBe(13);
    expect(grid.height).toBe(7);
    expect(grid.rgba).toHaveLength(13 * 7 * 4);
    expect(pixel(grid.rgba, grid.width, 0, 0)).toEqual([10, 20, 30, 255]);
    // Image 0 top-left at (1, 1); image 1 at (5, 1); image 3 (second row) at (1, 4); image 4 at (5, 4).
    expect(pixel(grid.rgba, grid.width, 1, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(grid.rgba, grid.width, 5, 1)).toEqual([64, 64, 64, 255]);
    expect(pixel(grid.rgba, grid.width, 7, 2)).toEqual([64, 64, 64, 255]); // bottom-right pixel of image 1
    expect(pixel(grid.rgba, grid.width, 8, 1)).toEqual([10, 20, 30, 255]); // border after image 1
    expect(pixel(grid.rgba, grid.width, 1, 4)).toEqual([191, 191, 191, 255]);
    expect(pixel(grid.rgba, grid.width, 5, 4)).toEqual([255, 255, 255, 255]);
    // The empty sixth cell stays background.
    expect(pixel(grid.rgba, grid.width, 9, 4)).toEqual([10, 20, 30, 255]);
  });

  it('honours cols and a zero border', () => {
    const grid = tileImages(values, { count, height: h, width: w, channels: 1 }, 'zero-one', { cols: 5, border: 0 });
    expect([grid.width, grid.height]).toEqual([15, 2]);
    expect(pixel(grid.rgba, grid.width, 14, 1)).toEqual([255, 255, 255, 255]);
    expect(() => tileImages(values, { count, height: h, width: w, channels: 1 }, 'zero-one', { cols: 0 })).toThrow(ImageGridError);
  });
});
