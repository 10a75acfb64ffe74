/**
 * The tfjs kernels the sampler registers on WebGPU and WASM. Registering only
 * these, rather than importing each backend's index (every kernel and shader),
 * roughly halves the bundle. Kernel names are fixed by tfjs-core's ops, not by
 * the backend, so one list serves both.
 */

/** What inference of every Forger family runs today (measured with tf.profile; see kernel-names.test.ts). */
export const profiledKernelNames = ['Add', 'BatchMatMul', 'Conv2D', 'Conv2DBackpropInput', 'Exp', 'LeakyRelu', 'Log', 'Max', 'MaxPool', 'Multiply', 'RealDiv', 'Relu', 'Reshape', 'ResizeNearestNeighbor', 'Sigmoid', 'Slice', 'Softmax', 'Softplus', 'Sqrt', 'Sub', 'Sum', 'Tanh', '_FusedMatMul'] as const;

/**
 * Ops a layer may reach in inference without today's specs exercising them
 * (global-average-pool's mean, minibatch discrimination's abs/expandDims/concat,
 * fused matMul/conv/batch-norm, casts and copies inside tfjs): cheap insurance.
 */
export const marginKernelNames = ['Abs', 'AvgPool', 'Cast', 'ClipByValue', 'Concat', 'Elu', 'ExpandDims', 'Fill', 'FusedBatchNorm', 'FusedConv2D', 'Identity', 'Maximum', 'Mean', 'Min', 'Minimum', 'Neg', 'OnesLike', 'Pack', 'Prelu', 'Relu6', 'Square', 'StridedSlice', 'Tile', 'Transpose', 'ZerosLike'] as const;

export const samplerKernelNames: readonly string[] = [...profiledKernelNames, ...marginKernelNames];
