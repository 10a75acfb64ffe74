import type { GeneratedImage } from './generated-image.js';
import { SamplerError } from './sampler-error.js';

export interface GridOptions {
  /** Pixels between tiles, in image pixels (the canvas is scaled with CSS). */
  gap?: number;
  /** CSS color of the gaps. */
  background?: string;
}

/**
 * Tiles images into a canvas at their native resolution, row by row. The canvas
 * is resized to fit; scale it up with CSS (`image-rendering: pixelated`) so a
 * 28×28 digit stays crisp instead of being blurred by the browser.
 */
export function drawGrid(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  images: readonly GeneratedImage[],
  cols: number = Math.ceil(Math.sqrt(images.length)),
  opts: GridOptions = {},
): void {
  if (!Number.isInteger(cols) || cols < 1) {
    throw new SamplerError('invalid-argument', `drawGrid: cols must be a positive integer, got ${cols}`, { where: 'cols' });
  }
  const first = images[0];
  const gap = opts.gap ?? 1;
  const rows = Math.max(1, Math.ceil(images.length / cols));
  const w = first?.width ?? 0;
  const h = first?.height ?? 0;
  canvas.width = Math.max(1, cols * w + (cols - 1) * gap);
  canvas.height = Math.max(1, rows * h + (rows - 1) * gap);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new SamplerError('invalid-argument', 'drawGrid: the canvas has no 2d context (is it already used for WebGL/WebGPU?)');
  ctx.fillStyle = opts.background ?? '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  images.forEach((image, i) => {
    if (image.width !== w || image.height !== h) {
      throw new SamplerError('invalid-argument', `drawGrid: image ${i} is ${image.width}×${image.height}, the others ${w}×${h}`, {
        where: `images[${i}]`,
      });
    }
    const x = (i % cols) * (w + gap);
    const y = Math.floor(i / cols) * (h + gap);
    ctx.putImageData(toImageData(image), x, y);
  });
}

export function toImageData(image: GeneratedImage): ImageData {
  return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
}
