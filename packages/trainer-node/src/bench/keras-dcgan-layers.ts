/**
 * keras-dcgan's convolutions and dense layers on MNIST (28×28×1) at a batch size: the shapes the kernel
 * benchmarks time (`src/bench/kernels.ts`, `bench-gpu/gemm-tilings.ts`).
 */
export interface ConvLayer { layer: string; x: [number, number, number, number]; filter: [number, number, number, number]; pad: 'same' | 'valid' }

export function dcganConvLayers(batch: number): ConvLayer[] {
  return [
    { layer: 'D conv 1 (28×28×1 → 64, same)', x: [batch, 28, 28, 1], filter: [5, 5, 1, 64], pad: 'same' },
    { layer: 'D conv 2 (14×14×64 → 128, valid)', x: [batch, 14, 14, 64], filter: [5, 5, 64, 128], pad: 'valid' },
    { layer: 'G conv 1 (14×14×128 → 64, same)', x: [batch, 14, 14, 128], filter: [5, 5, 128, 64], pad: 'same' },
    { layer: 'G conv 2 (28×28×64 → 1, same)', x: [batch, 28, 28, 64], filter: [5, 5, 64, 1], pad: 'same' },
  ];
}

export interface DenseLayer { layer: string; rows: number; inner: number; cols: number }

export function dcganDenseLayers(batch: number): DenseLayer[] {
  return [
    { layer: 'D dense 1 (3200 → 1024)', rows: batch, inner: 3200, cols: 1024 },
    { layer: 'G dense 2 (1024 → 6272)', rows: batch, inner: 1024, cols: 6272 },
  ];
}
