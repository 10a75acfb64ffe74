import type { ModelSpec } from '@forger/core';
import { layerKernel } from '@forger/models';

/**
 * Floating-point operations of one generator pass for one image, counting a
 * multiply-add as 2 (the convention of the DCGAN "≈96 MFLOP per image" figure).
 * Only dense and convolution layers are counted: bias, batch-norm, activations
 * and upsampling are a few FLOP per element, under 1% here.
 */
export function generatorFlopsPerImage(spec: ModelSpec): number {
  let shape = [spec.latentDim];
  let flops = 0;
  for (const layer of spec.generatorLayers) {
    const out = layerKernel(layer.kind, layer.name).outputShape(layer, shape);
    const k = layer.kernelSize ?? 1;
    if (layer.kind === 'dense') {
      flops += 2 * shape.reduce((a, b) => a * b, 1) * out.reduce((a, b) => a * b, 1);
    } else if (layer.kind === 'conv2d') {
      // Every output pixel: a k×k×in dot product per filter.
      const [oh, ow, filters] = out as [number, number, number];
      flops += 2 * oh * ow * filters * k * k * shape[2]!;
    } else if (layer.kind === 'conv2d-transpose') {
      // Every input pixel scatters a k×k×filters patch per input channel.
      const [h, w, channels] = shape as [number, number, number];
      flops += 2 * h * w * channels * k * k * out[2]!;
    }
    shape = out;
  }
  return flops;
}
