import * as tf from '@tensorflow/tfjs-core';
import { decodeCheckpoint, imagesToRgba, Rng } from '@forger/core';
import type { Checkpoint, DType, ModelSpec, Provenance } from '@forger/core';
import { GENERATOR_NOISE_STREAM, ModelError, checkModelCheckpoint, ganFromCheckpoint, generateInChunks, isConditional, sampleLatent, type Network } from '@forger/models';
import { isBackendRunning, leaseBackend, type BackendLease } from './backend/backend-lease.js';
import { backendOrder, BROWSER_BACKENDS, isBackendPreference, resolveBackend, type BackendName, type BackendPreference } from './backend/resolve-backend.js';
import { isEngineFailure, recoverFromEngineFailure } from './backend/engine-failure.js';
import { defaultWasmThreads, startWasm } from './backend/wasm-backend.js';
import { THREADED_WASM_MAX_THREADS } from '@forger/kernels';
import { startWebGpu } from './backend/webgpu-backend.js';
import { readCheckpointBytes, sourceName, type CheckpointSource } from './checkpoint-source.js';
import { throwIfLoadAborted } from './load-abort.js';
import type { GeneratedImage, SampleBatch } from './generated-image.js';
import { interpolateLatents, latentArithmetic } from './latent-space.js';
import { SamplerError } from './sampler-error.js';
import { resolveClassLabels, type ClassChoice } from './class-labels.js';
import { resolveWasmPaths, type WasmPaths } from './wasm-paths.js';

export interface LoadOptions {
  /** `auto` (default): WebGPU when a hardware adapter exists, else WASM. */
  backend?: BackendPreference;
  /** Folder URL (or one URL per file) of the tfjs .wasm binaries; default: next to this script. */
  wasmPaths?: WasmPaths;
  /**
   * WASM threads on a cross-origin-isolated page (1 to 8; default: one per core, at most 8). Ignored where the
   * page is not isolated: without SharedArrayBuffer the browser has no threads to give (README: WASM threads).
   */
  wasmThreads?: number;
  /** Download timeout; default 30 s. */
  timeoutMs?: number;
  /** How long one backend may take to start before the next is tried; default 15 s. */
  backendTimeoutMs?: number;
  /**
   * Cancels the load (download, backend start, weight upload): it then rejects with SamplerError 'aborted',
   * whose cause is `signal.reason`, having freed everything it made. An already-aborted signal rejects at once.
   */
  signal?: AbortSignal;
}

export interface SampleOptions extends ClassChoice {
  /** Number of images; default 16, or z.length / latentDim when z is given. */
  count?: number;
  /**
   * Seed of the latent draw, and of the dropout of a generator that samples with it (trained with
   * --generator-dropout); the same seed gives the same images on every backend.
   */
  seed?: number;
  /** Explicit latent vectors, count × latentDim (a generator with dropout then draws its masks from `seed`, or 0). */
  z?: Float32Array;
}

/** What the loaded model is; enough for a page to label it: the spec without its layer lists, and the file. */
export interface SamplerInfo extends Omit<ModelSpec, 'generatorLayers' | 'discriminatorLayers'> {
  hasDiscriminator: boolean;
  /** Whether the generator draws a given class (family acgan): sample({ classLabel }) then picks one of classNames. */
  conditional: boolean;
  /** The storage type of the generator's weight matrices (float16/int8 for web exports). */
  weightsDType: DType;
  generatorParameters: number;
  fileBytes: number;
  step: number | undefined;
  provenance: Provenance;
}

// Generating in slices bounds GPU/WASM memory for rank()'s oversampling: at most 64 images, and at most
// sliceActivationBytes of activations, so a model near the per-sample limit (256 MiB) samples one image at a time.
const maxBatch = 64;
const sliceActivationBytes = 256 * 1024 * 1024;

export class Sampler {
  readonly backend: BackendName;
  /** A line about the backend, e.g. "SIMD, single thread" or "google swiftshader". */
  readonly backendDetail: string;
  /** Why backends before the chosen one were not used ("webgpu: no adapter ..."). */
  readonly skippedBackends: readonly string[];
  readonly info: SamplerInfo;
  private generator: Network | undefined;
  private discriminator: Network | undefined;
  private readonly lease: BackendLease;
  private readonly spec: ModelSpec;

  private constructor(
    checkpoint: Checkpoint,
    fileBytes: number,
    nets: { generator: Network; discriminator?: Network },
    backend: { name: BackendName; detail: string; skipped: string[]; lease: BackendLease },
  ) {
    this.generator = nets.generator;
    this.discriminator = nets.discriminator;
    this.backend = backend.name;
    this.backendDetail = backend.detail;
    this.skippedBackends = backend.skipped;
    this.lease = backend.lease;
    this.spec = checkpoint.spec;
    this.info = describe(checkpoint, fileBytes, nets.discriminator !== undefined);
  }

  /**
   * Downloads (or takes) a checkpoint, validates it, starts a backend and
   * rebuilds the generator from the spec inside the file. Rejects with a
   * SamplerError (network, HTTP status, content type, backend, 'aborted') or
   * the CheckpointError from @forger/core (a corrupt or truncated file).
   *
   * `signal` cancels the load: an aborted one rejects with SamplerError
   * 'aborted' (cause: `signal.reason`) and frees what it made, its variables
   * and a backend it started that no other sampler uses; other samplers keep
   * working. See load-abort.ts for what cannot be interrupted.
   */
  static async load(source: CheckpointSource, opts: LoadOptions = {}): Promise<Sampler> {
    const { signal } = opts;
    throwIfLoadAborted(signal, sourceName(source), 'before it started');
    const { bytes, where } = await readCheckpointBytes(source, { timeoutMs: opts.timeoutMs ?? 30_000, ...(signal ? { signal } : {}) });
    // Decode before touching a backend: a bad file should fail fast, not after a GPU start.
    const checkpoint = decodeCheckpoint(bytes);
    // ... and a file that decodes must still prove it can run: shapes, one sample's activation memory and finite
    // weights, from the spec and tensors alone. A spec that asks for terabytes would abort the WASM module and leave
    // the page unable to sample anything (issue 18).
    try {
      checkModelCheckpoint(checkpoint);
    } catch (cause) {
      throw cause instanceof ModelError ? new SamplerError('unsupported-model', `${where}: ${cause.message}`, { where, cause }) : cause;
    }
    const preference = opts.backend ?? 'auto';
    if (!isBackendPreference(preference)) {
      const names = ['auto', ...BROWSER_BACKENDS].map((name) => `'${name}'`);
      throw new SamplerError('invalid-argument', `backend must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, got '${String(preference)}'`, { where: 'backend' });
    }
    const wasmThreads = opts.wasmThreads ?? defaultWasmThreads();
    if (!Number.isInteger(wasmThreads) || wasmThreads < 1 || wasmThreads > THREADED_WASM_MAX_THREADS) {
      throw new SamplerError('invalid-argument', `wasmThreads must be a whole number from 1 to ${THREADED_WASM_MAX_THREADS}, got ${String(opts.wasmThreads)}`, { where: 'wasmThreads' });
    }
    const base = typeof location === 'undefined' ? import.meta.url : location.href;
    const wasmPaths = resolveWasmPaths(opts.wasmPaths, base);
    const details = new Map<BackendName, string>();
    const wasRunning = new Map<BackendName, boolean>();
    const starters: Record<BackendName, () => Promise<string>> = {
      // A named webgpu means "this one, even if emulated"; auto only wants it when it beats WASM.
      webgpu: () => startWebGpu({ allowSoftware: preference === 'webgpu' }),
      wasm: () => startWasm(wasmPaths, wasmThreads),
    };
    const chosen = await resolveBackend(
      backendOrder(preference).map((name) => ({
        name,
        start: async () => {
          wasRunning.set(name, isBackendRunning(name));
          details.set(name, await starters[name]());
        },
      })),
      opts.backendTimeoutMs ?? 15_000,
      signal ? { signal, where } : undefined,
    );
    // From here the load holds the backend: every way out below either hands it to the Sampler or returns it.
    const lease = leaseBackend(chosen.name, !wasRunning.get(chosen.name));
    let nets: { generator: Network; discriminator?: Network } | undefined;
    try {
      throwIfLoadAborted(signal, where, `after the ${chosen.name} backend started`);
      // Another load may have switched the global engine while we awaited; variables live where they are created.
      if (tf.getBackend() !== chosen.name) await tf.setBackend(chosen.name);
      try {
        // One synchronous upload (tf.variable per tensor): an abort cannot land inside it, only be seen after it.
        nets = ganFromCheckpoint(checkpoint);
      } catch (cause) {
        if (isEngineFailure(cause)) throw cause;
        throw new SamplerError('unsupported-model', `${where}: cannot rebuild the ${checkpoint.spec.family} generator: ${(cause as Error).message}`, {
          where,
          cause,
        });
      }
      throwIfLoadAborted(signal, where, 'after uploading the weights');
    } catch (cause) {
      if (isEngineFailure(cause)) {
        recoverFromEngineFailure(chosen.name); // voids every lease on it, ours included, and makes dispose() harmless
        disposeNets(nets);
        throw engineFailed(chosen.name, 'loading the weights', cause);
      }
      disposeNets(nets);
      lease.release(); // tears the backend down when this load started it and no other sampler holds it
      throw cause;
    }
    return new Sampler(checkpoint, bytes.byteLength, nets, {
      name: chosen.name,
      detail: details.get(chosen.name) ?? '',
      skipped: chosen.skipped,
      lease,
    });
  }

  /** `count` latent vectors drawn from the model's prior with a seeded Rng: the same seed gives the same z everywhere. */
  latent(count: number, seed: number): Float32Array {
    checkCount(count);
    if (!Number.isFinite(seed)) throw new SamplerError('invalid-argument', `seed must be a finite number, got ${seed}`, { where: 'seed' });
    return sampleLatent(this.spec, count, Rng.fromSeed(seed));
  }

  async sample(opts: SampleOptions = {}): Promise<SampleBatch> {
    const generator = this.live();
    if (!isConditional(this.spec)) resolveClassLabels(this.spec, opts, 0); // refuses a class before anything is drawn
    const seed = opts.seed ?? (opts.z ? 0 : randomSeed());
    const z = opts.z ?? this.latent(opts.count ?? 16, seed);
    const dim = this.info.latentDim;
    if (z.length === 0 || z.length % dim !== 0) {
      throw new SamplerError('invalid-argument', `z holds ${z.length} values, not a whole number of ${dim}-dimensional latent vectors`, {
        where: 'z',
      });
    }
    if (opts.count !== undefined && opts.z !== undefined && opts.count * dim !== z.length) {
      throw new SamplerError('invalid-argument', `count is ${opts.count} but z holds ${z.length / dim} latent vectors`, { where: 'count' });
    }
    return this.decode(generator, z, seed, undefined, resolveClassLabels(this.spec, opts, z.length / dim));
  }

  /** The path from z0 to z1 (one latent vector each), both included; slerp unless told otherwise. */
  interpolate(z0: Float32Array, z1: Float32Array, steps: number, opts: { slerp?: boolean } = {}): Float32Array {
    this.checkVector(z0, 'z0');
    this.checkVector(z1, 'z1');
    return interpolateLatents(z0, z1, steps, opts);
  }

  /** mean(a) − mean(b) + mean(c): one latent vector. Each argument holds one or more latent vectors. */
  arithmetic(a: Float32Array, b: Float32Array, c: Float32Array): Float32Array {
    return latentArithmetic(a, b, c, this.info.latentDim);
  }

  /**
   * keras-dcgan's `--nice`: draw count × oversample samples, score them with
   * the discriminator and keep the `count` it finds most real. Needs a full
   * checkpoint; generator-only web exports carry no discriminator.
   */
  async rank(count: number, opts: { oversample?: number; seed?: number } & ClassChoice = {}): Promise<SampleBatch> {
    const generator = this.live();
    const discriminator = this.discriminator;
    if (!discriminator) {
      throw new SamplerError('no-discriminator', 'rank() needs the discriminator, and this checkpoint is a generator-only export');
    }
    checkCount(count);
    if (opts.labels !== undefined) throw new SamplerError('invalid-argument', 'rank() draws more images than it keeps: give classLabel, not labels', { where: 'labels' });
    // keras-dcgan oversamples 20×; 4× keeps the browser responsive and already drops the worst outliers.
    const oversample = opts.oversample ?? 4;
    if (!Number.isInteger(oversample) || oversample < 1) {
      throw new SamplerError('invalid-argument', `oversample must be a positive integer, got ${oversample}`, { where: 'oversample' });
    }
    const started = now();
    const seed = opts.seed ?? randomSeed();
    const z = this.latent(count * oversample, seed);
    const all = await this.decode(generator, z, seed, discriminator, resolveClassLabels(this.spec, opts, count * oversample));
    const scores = all.scores!;
    const order = Array.from(scores.keys()).sort((i, j) => scores[j]! - scores[i]!).slice(0, count);
    const dim = this.info.latentDim;
    const bestZ = new Float32Array(count * dim);
    order.forEach((src, dst) => bestZ.set(z.subarray(src * dim, (src + 1) * dim), dst * dim));
    return {
      images: order.map((i) => all.images[i]!),
      z: bestZ,
      scores: Float32Array.from(order, (i) => scores[i]!),
      milliseconds: now() - started,
      ...(all.labels ? { labels: Int32Array.from(order, (i) => all.labels![i]!) } : {}),
    };
  }

  /** Frees the weights and, when this was the last sampler using a backend it started, the backend itself. */
  dispose(): void {
    if (!this.generator) return;
    this.generator.dispose();
    this.discriminator?.dispose();
    this.generator = undefined;
    this.discriminator = undefined;
    this.lease.release();
  }

  get disposed(): boolean {
    return this.generator === undefined;
  }

  /**
   * G(z) in slices of 64, read back as RGBA. With a discriminator, the same
   * generated batch is also scored, so ranking costs one generator pass.
   */
  private async decode(generator: Network, z: Float32Array, seed: number, discriminator?: Network, labels?: Int32Array): Promise<SampleBatch> {
    await this.activate();
    try {
      return await this.decodeSlices(generator, z, seed, discriminator, labels);
    } catch (error) {
      if (!isEngineFailure(error)) throw error;
      // The engine is dead for every model on this page: forget our weights (freeing them would trap again), restart
      // the backend so the next Sampler.load gets a fresh one, and say what happened.
      this.abandon();
      throw engineFailed(this.backend, 'sampling', error);
    }
  }

  private async decodeSlices(generator: Network, z: Float32Array, seed: number, discriminator?: Network, labels?: Int32Array): Promise<SampleBatch> {
    const dim = this.info.latentDim;
    const count = z.length / dim;
    const { height, width, channels } = this.info.image;
    const pixels = new Float32Array(count * height * width * channels);
    const scores = discriminator ? new Float32Array(count) : undefined;
    const started = now();
    const perImage = height * width * channels;
    const perSample = generator.activationBytesPerSample + (discriminator?.activationBytesPerSample ?? 0);
    const chunkSize = Math.max(1, Math.min(maxBatch, Math.floor(sliceActivationBytes / perSample)));
    try {
      // A generator trained with --generator-dropout keeps dropping units when it samples (Isola et al. 2017).
      const noiseRng = Rng.fromSeed(seed).derive(GENERATOR_NOISE_STREAM);
      const classes = labels ? { labels } : {};
      for await (const chunk of generateInChunks(generator, this.spec, z, { chunkSize, noiseRng, ...(discriminator ? { discriminator } : {}), ...classes })) {
        pixels.set(chunk.images, chunk.start * perImage);
        if (chunk.scores && scores) scores.set(chunk.scores, chunk.start);
      }
    } catch (cause) {
      if (cause instanceof ModelError && cause.code === 'not-finite') throw new SamplerError('not-finite', cause.message, { where: 'sample', cause });
      throw cause;
    }
    const milliseconds = now() - started;
    const rgba = imagesToRgba(pixels, { count, height, width, channels }, this.info.pixelRange);
    const size = height * width * 4;
    const out: GeneratedImage[] = [];
    for (let i = 0; i < count; i++) out.push({ width, height, data: rgba.subarray(i * size, (i + 1) * size) });
    return { images: out, z: z.slice(), milliseconds, ...(scores ? { scores } : {}), ...(labels ? { labels } : {}) };
  }

  /** tfjs has one global engine: another sampler may have switched it since we last ran. */
  private async activate(): Promise<void> {
    if (tf.getBackend() !== this.backend && !(await tf.setBackend(this.backend))) {
      throw new SamplerError('backend-unavailable', `the ${this.backend} backend this sampler was loaded on is gone`, { where: this.backend });
    }
  }

  private live(): Network {
    if (this.generator && !this.lease.alive) {
      this.abandon();
      throw new SamplerError('backend-restarted', `the ${this.backend} backend was restarted after an engine failure and this sampler's weights went with it; load the checkpoint again`, { where: this.backend });
    }
    if (!this.generator) throw new SamplerError('disposed', 'this sampler was disposed; load the checkpoint again');
    return this.generator;
  }

  /** Drops the networks of a dead backend (their variables are forgotten by the inert instance) and restarts it once. */
  private abandon(): void {
    const generator = this.generator;
    const discriminator = this.discriminator;
    this.generator = undefined;
    this.discriminator = undefined;
    if (this.lease.alive) recoverFromEngineFailure(this.backend);
    generator?.dispose();
    discriminator?.dispose();
  }

  private checkVector(z: Float32Array, where: string): void {
    if (z.length !== this.info.latentDim) {
      throw new SamplerError('invalid-argument', `${where} must be one ${this.info.latentDim}-dimensional latent vector, got ${z.length} values`, {
        where,
      });
    }
  }
}

function disposeNets(nets: { generator: Network; discriminator?: Network } | undefined): void {
  nets?.generator.dispose();
  nets?.discriminator?.dispose();
}

function describe(c: Checkpoint, fileBytes: number, hasDiscriminator: boolean): SamplerInfo {
  const kernels = c.generator.filter((t) => t.shape.length > 1);
  return {
    family: c.spec.family,
    variant: c.spec.variant,
    latentDim: c.spec.latentDim,
    latentPrior: c.spec.latentPrior,
    image: { ...c.spec.image },
    pixelRange: c.spec.pixelRange,
    numClasses: c.spec.numClasses,
    classNames: [...c.spec.classNames],
    hasDiscriminator,
    conditional: isConditional(c.spec),
    weightsDType: (kernels[0] ?? c.generator[0])?.dtype ?? 'float32',
    generatorParameters: c.generator.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0),
    fileBytes,
    step: c.training?.step,
    provenance: c.provenance,
  };
}

/** The error a caller sees after an engine failure; the backend has already been restarted. */
function engineFailed(backend: BackendName, doing: string, cause: unknown): SamplerError {
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new SamplerError('engine-failed', `the ${backend} engine failed while ${doing} (${reason}); it was restarted, so load a checkpoint again`, { where: backend, cause });
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 4096) {
    throw new SamplerError('invalid-argument', `count must be an integer from 1 to 4096, got ${count}`, { where: 'count' });
  }
}

/** A fresh seed when the caller gives none; still reported back through z, so any batch can be reproduced. */
function randomSeed(): number {
  const word = new Uint32Array(1);
  globalThis.crypto.getRandomValues(word);
  return word[0]!;
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
