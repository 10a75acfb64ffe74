export { prepareBackend, type BackendInfo, type PrepareBackendOptions } from './prepare-backend.js';
export { BACKEND_CHOICES, type BackendChoice } from './backend-choice.js';
export { BackendError, type BackendErrorCode } from './backend-error.js';
