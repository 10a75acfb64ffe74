import { parseIdx } from '@forger/data';
import { drawGrid, type GeneratedImage } from '@forger/sampler-web';

/**
 * The first 64 MNIST test digits (public/mnist-test-64.idx, 50 KB), drawn
 * beside the generated ones: the fairest yardstick for a GAN is the data.
 */
export async function drawRealDigits(canvas: HTMLCanvasElement, url: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const { dims, data } = parseIdx(new Uint8Array(await response.arrayBuffer()), url);
  const [count, height, width] = dims as [number, number, number];
  const images: GeneratedImage[] = [];
  for (let i = 0; i < count; i++) {
    const rgba = new Uint8ClampedArray(height * width * 4);
    for (let p = 0; p < height * width; p++) {
      const v = data[i * height * width + p]!;
      rgba.set([v, v, v, 255], p * 4);
    }
    images.push({ width, height, data: rgba });
  }
  drawGrid(canvas, images, 8);
}
