export { prepareBackend, backendChoices, type BackendChoice, type BackendInfo, type PrepareBackendOptions } from './prepare-backend.js';
export { BackendError, type BackendErrorCode } from './backend-error.js';
export { installNodeWebGpu, describeAdapter, swiftShaderIcd, type GpuAdapterDescription } from './node-webgpu.js';
export { importOptional } from './optional-module.js';
export { registerGradients } from './register-gradients.js';
