// The public surface of @forger/sampler-web. Backends are imported lazily by
// Sampler.load, so importing this module starts nothing.
export { Sampler, type LoadOptions, type SampleOptions, type SamplerInfo } from './sampler.js';
export type { ClassChoice } from './class-labels.js';
export type { GeneratedImage, SampleBatch } from './generated-image.js';
export { drawGrid, toImageData, type GridOptions } from './draw-grid.js';
export { engineMemory, type EngineMemory } from './engine-memory.js';
export { SamplerError, type SamplerErrorCode } from './sampler-error.js';
export type { BackendName, BackendPreference } from './backend/resolve-backend.js';
export { wasmBinaryNames, type WasmBinaryName, type WasmPaths } from './wasm-paths.js';
export type { CheckpointSource } from './checkpoint-source.js';
export { interpolateLatents, latentArithmetic } from './latent-space.js';
export { isSoftwareAdapter, type GpuAdapterInfo } from './backend/software-adapter.js';
// A CheckpointError from @forger/core passes through Sampler.load untouched; re-exported for instanceof checks.
export { CheckpointError } from '@forger/core';
export { CROSS_ORIGIN_ISOLATION_HEADERS } from './cross-origin-isolation.js';
