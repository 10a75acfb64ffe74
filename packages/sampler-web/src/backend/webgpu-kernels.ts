// The webgpu kernels Forger's generators and discriminators run, and nothing else:
// importing the package index would register all ~170 of them (and, for WebGPU, their shaders),
// most of the bundle. The list is kernel-names.ts; kernel-names.test.ts fails when a model uses a kernel not here.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { absConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Abs.js';
import { addConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Add.js';
import { avgPoolConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/AvgPool.js';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/BatchMatMul.js';
import { castConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Cast.js';
import { clipByValueConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/ClipByValue.js';
import { concatConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Concat.js';
import { conv2DConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Conv2D.js';
import { conv2DBackpropInputConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Conv2DBackpropInput.js';
import { eluConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Elu.js';
import { expConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Exp.js';
import { expandDimsConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/ExpandDims.js';
import { fillConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Fill.js';
import { fusedBatchNormConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/FusedBatchNorm.js';
import { fusedConv2DConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/FusedConv2D.js';
import { _fusedMatMulConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/_FusedMatMul.js';
import { identityConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Identity.js';
import { leakyReluConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/LeakyRelu.js';
import { logConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Log.js';
import { maxConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Max.js';
import { maximumConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Maximum.js';
import { maxPoolConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/MaxPool.js';
import { meanConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Mean.js';
import { minConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Min.js';
import { minimumConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Minimum.js';
import { multiplyConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Multiply.js';
import { negConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Neg.js';
import { onesLikeConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/OnesLike.js';
import { packConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Pack.js';
import { preluConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Prelu.js';
import { realDivConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/RealDiv.js';
import { reluConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Relu.js';
import { relu6Config } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Relu6.js';
import { reshapeConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Reshape.js';
import { resizeNearestNeighborConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/ResizeNearestNeighbor.js';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Sigmoid.js';
import { sliceConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Slice.js';
import { softmaxConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Softmax.js';
import { softplusConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Softplus.js';
import { sqrtConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Sqrt.js';
import { squareConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Square.js';
import { stridedSliceConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/StridedSlice.js';
import { subConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Sub.js';
import { sumConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Sum.js';
import { tanhConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Tanh.js';
import { tileConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Tile.js';
import { transposeConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Transpose.js';
import { zerosLikeConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/ZerosLike.js';

export const webgpuKernels: KernelConfig[] = [
  absConfig,
  addConfig,
  avgPoolConfig,
  batchMatMulConfig,
  castConfig,
  clipByValueConfig,
  concatConfig,
  conv2DConfig,
  conv2DBackpropInputConfig,
  eluConfig,
  expConfig,
  expandDimsConfig,
  fillConfig,
  fusedBatchNormConfig,
  fusedConv2DConfig,
  _fusedMatMulConfig,
  identityConfig,
  leakyReluConfig,
  logConfig,
  maxConfig,
  maximumConfig,
  maxPoolConfig,
  meanConfig,
  minConfig,
  minimumConfig,
  multiplyConfig,
  negConfig,
  onesLikeConfig,
  packConfig,
  preluConfig,
  realDivConfig,
  reluConfig,
  relu6Config,
  reshapeConfig,
  resizeNearestNeighborConfig,
  sigmoidConfig,
  sliceConfig,
  softmaxConfig,
  softplusConfig,
  sqrtConfig,
  squareConfig,
  stridedSliceConfig,
  subConfig,
  sumConfig,
  tanhConfig,
  tileConfig,
  transposeConfig,
  zerosLikeConfig,
];
