// '@forger/kernels/node': what only Node has. Dawn's WebGPU for Node (the `webgpu` package), tfjs-core's gradients
// through a module-resolve hook, and the kernels' flags read from environment variables.
export { installNodeWebGpu, describeAdapter, nodeWebGpuInstalled, pointVulkanAtSwiftShader, swiftShaderIcd, type GpuAdapterDescription } from './node-webgpu.js';
export { registerGradients } from './register-gradients.js';
export { importOptional } from './optional-module.js';
export { applyKernelFlagsFromEnvironment, KERNEL_ENVIRONMENT_FLAGS } from './environment-flags.js';
