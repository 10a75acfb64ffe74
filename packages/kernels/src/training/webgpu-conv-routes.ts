import { choiceFlag } from '@forger/models/kernels';

/*
 * Which of two implementations the webgpu backend runs for its convolutions: Forger's WGSL programs
 * (convolution-gemm.ts) or tfjs-backend-webgpu's own kernels. Both are tfjs flags; in Node also environment
 * variables of the same names (`applyKernelFlagsFromEnvironment` of '@forger/kernels/node', which trainer-node's
 * prepareBackend calls: the browser has no process.env); `pnpm bench:gpu` times both routes in one run.
 */

/**
 * `FORGER_WEBGPU_CONV=tfjs` (or `tf.env().set(CONV_ROUTE_FLAG, 'tfjs')`) sends the forward convolutions, the
 * input gradients and the dense layers' products and their gradients back to tfjs-backend-webgpu's own kernels (a tanh or sigmoid
 * then runs as a kernel of its own); the filter gradient has its own switch (FILTER_GRADIENT_FLAG).
 *
 * Why Forger's by default: on an NVIDIA H200 a keras-dcgan iteration at batch 256 takes 19.7 ms with Forger's
 * routes against 81.5 ms with tfjs's own (bench-gpu/README.md); 19 dispatches fewer per DCGAN iteration (the tanh
 * inside); and on SwiftShader its forward convolutions are 2–5× faster than tfjs's, its stride-1 input gradients
 * 0.6–2.4× (the slower shapes are routed to tfjs's there, see Conv2DBackpropInput.ts), its dense products 0.6–1.5×.
 */
export const CONV_ROUTE_FLAG = 'FORGER_WEBGPU_CONV';
export type ConvRoute = 'forger' | 'tfjs';

export const convRoute = choiceFlag<ConvRoute>(CONV_ROUTE_FLAG, 'forger', 'tfjs');

/**
 * Which filter gradient the webgpu backend runs: `direct` (the default: Forger's split-K WGSL matrix product
 * and a sum over the slices, convolution-gemm.ts) or `composite` (pad, transpose, tfjs's forward conv with dilation =
 * stride, slice, transpose: five dispatches, see Conv2DBackpropFilter.ts). Set with
 * `tf.env().set(FILTER_GRADIENT_FLAG, 'composite')` or the environment variable
 * FORGER_WEBGPU_FILTER_GRADIENT=composite; `pnpm bench:gpu` times both.
 *
 * Why direct by default: on an H200 at batch 256 keras-dcgan's filter gradients take 3.1 ms per iteration this way
 * against 53 ms as the composite (bench-gpu/README.md); the composite's forward conv parallelises over
 * outputs only (issue 7 measured 61 ms for a batch-256 iteration's filter gradients on an H100), this one
 * also over batch slices; it takes 3 fewer dispatches per filter gradient; and on SwiftShader it is 1.9–2.7×
 * faster on each of keras-dcgan's four (batch 8; the package README).
 */
export const FILTER_GRADIENT_FLAG = 'FORGER_WEBGPU_FILTER_GRADIENT';
export type FilterGradientRoute = 'composite' | 'direct';

export const filterGradientRoute = choiceFlag<FilterGradientRoute>(FILTER_GRADIENT_FLAG, 'direct', 'composite');
