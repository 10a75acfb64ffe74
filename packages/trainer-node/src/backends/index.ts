export { prepareBackend, backendChoices, type BackendChoice, type BackendInfo, type PrepareBackendOptions } from './prepareBackend.js';
export { BackendError, type BackendErrorCode } from './backendError.js';
export { installNodeWebGpu, describeAdapter, swiftShaderIcd, type GpuAdapterDescription } from './nodeWebGpu.js';
export { importOptional } from './optionalModule.js';
export { registerGradients } from './registerGradients.js';
