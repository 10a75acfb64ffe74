// The public surface of @forger/sampler-web. Backends are imported lazily by
// Sampler.load, so importing this module starts nothing.
export { Sampler, type LoadOptions, type SampleOptions, type SamplerInfo } from './sampler.js';
export type { GeneratedImage, SampleBatch } from './generated_image.js';
export { drawGrid, toImageData, type GridOptions } from './draw_grid.js';
export { engineMemory, type EngineMemory } from './engine_memory.js';
export { SamplerError, type SamplerErrorCode } from './sampler_error.js';
export type { BackendName, BackendPreference } from './backend/resolve_backend.js';
export { wasmBinaryNames, type WasmBinaryName, type WasmPaths } from './wasm_paths.js';
export type { CheckpointSource } from './checkpoint_source.js';
export { interpolateLatents, latentArithmetic } from './latent_space.js';
// A CheckpointError from @forger/core passes through Sampler.load untouched; re-exported for instanceof checks.
export { CheckpointError } from '@forger/core';
