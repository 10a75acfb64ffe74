import { formatBytes } from './format.js';
import { elementCount } from './tensor.js';
import type { Checkpoint, CheckpointTensor, DType, ImageShape, LatentPrior, ModelFamily, PixelRange, Provenance } from './types.js';

export interface NetworkSummary {
  tensors: number;
  parameters: number;
  bytes: number;
  /** Tensor count per dtype present, e.g. { float32: 4, float16: 6 }. */
  dtypes: Partial<Record<DType, number>>;
  layers: number;
}

export interface CheckpointSummary {
  family: ModelFamily;
  variant: string;
  image: ImageShape;
  pixelRange: PixelRange;
  latentDim: number;
  latentPrior: LatentPrior;
  numClasses: number;
  classNames: string[];
  generator: NetworkSummary;
  discriminator: NetworkSummary;
  training?: {
    step: number; epoch: number; optimizers: { network: string; kind: string; iterations: number; slots: number }[]; resumable: boolean;
    /** The run's recorded settings (training.configJson, e.g. `forger train`'s flags), when it holds a JSON object. */
    config?: Record<string, unknown>;
  };
  provenance: Provenance;
}

function summarizeNetwork(tensors: CheckpointTensor[], layers: number): NetworkSummary {
  const dtypes: Partial<Record<DType, number>> = {};
  let parameters = 0;
  let bytes = 0;
  for (const t of tensors) {
    parameters += elementCount(t.shape);
    bytes += t.data.length;
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
  }
  return { tensors: tensors.length, parameters, bytes, dtypes, layers };
}

/** What `forger inspect` reports, as data. */
export function summarizeCheckpoint(c: Checkpoint): CheckpointSummary {
  const s = c.spec;
  const summary: CheckpointSummary = {
    family: s.family,
    variant: s.variant,
    image: { ...s.image },
    pixelRange: s.pixelRange,
    latentDim: s.latentDim,
    latentPrior: s.latentPrior,
    numClasses: s.numClasses,
    classNames: [...s.classNames],
    generator: summarizeNetwork(c.generator, s.generatorLayers.length),
    discriminator: summarizeNetwork(c.discriminator, s.discriminatorLayers.length),
    provenance: { ...c.provenance, metrics: { ...c.provenance.metrics } },
  };
  if (c.training) {
    const t = c.training;
    summary.training = {
      step: t.step,
      epoch: t.epoch,
      optimizers: t.optimizers.map((o) => ({ network: o.network, kind: o.kind, iterations: o.iterations, slots: o.slots.length })),
      // Exact resumption needs the RNG and the data order as well as the optimizers.
      resumable: t.rng !== undefined && t.data !== undefined && t.optimizers.length > 0,
    };
    const config = configObject(t.configJson);
    if (config) summary.training.config = config;
  }
  return summary;
}

/** configJson as an object, or undefined when it is empty or not a JSON object (the summary never fails on it). */
function configObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function formatNetwork(label: string, n: NetworkSummary): string {
  const head = `${label}:`.padEnd(15);
  if (n.tensors === 0) return `${head}none`;
  const dtypes = Object.entries(n.dtypes)
    .map(([d, k]) => `${k} ${d}`)
    .join(', ');
  return `${head}${n.layers} layers, ${n.tensors} tensors (${dtypes}), ${n.parameters.toLocaleString('en-US')} parameters, ${formatBytes(n.bytes)}`;
}

function formatMetric(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** The human-readable text `forger inspect` prints. */
export function formatCheckpointSummary(s: CheckpointSummary): string {
  const lines: string[] = [];
  lines.push(`model:         ${s.family}${s.variant ? ` (${s.variant})` : ''}`);
  lines.push(`image:         ${s.image.height}×${s.image.width}×${s.image.channels}, pixels in ${s.pixelRange === 'zero-one' ? '[0, 1]' : '[-1, 1]'}`);
  if (s.family !== 'classifier') {
    lines.push(`latent:        ${s.latentDim}-d ${s.latentPrior === 'uniform' ? 'U(-1, 1)' : 'N(0, 1)'}`);
  }
  if (s.numClasses > 0) {
    lines.push(`classes:       ${s.numClasses}${s.classNames.length > 0 ? ` (${s.classNames.join(', ')})` : ''}`);
    // a conditional generator draws the class it is given (Odena et al. 2017); the others' classes belong to D
    if (s.family === 'acgan') lines.push(`conditional:   the generator draws a given class (forger generate --class 0–${s.numClasses - 1})`);
  }
  lines.push(formatNetwork('generator', s.generator));
  lines.push(formatNetwork('discriminator', s.discriminator));
  if (s.training) {
    const opts = s.training.optimizers.map((o) => `${o.network} ${o.kind} @${o.iterations}`).join(', ');
    lines.push(`training:      step ${s.training.step}, epoch ${s.training.epoch}${opts ? `; ${opts}` : ''}${s.training.resumable ? '' : ' (not fully resumable)'}`);
    const config = Object.entries(s.training.config ?? {});
    if (config.length > 0) lines.push(`config:        ${config.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}`);
  } else {
    lines.push('training:      none (inference only)');
  }
  const p = s.provenance;
  const made = [p.createdAt && `created ${p.createdAt}`, p.forgerVersion && `forger ${p.forgerVersion}`, p.backend && `backend ${p.backend}`, p.dataset && `dataset ${p.dataset}`]
    .filter(Boolean)
    .join(', ');
  if (made) lines.push(`provenance:    ${made}`);
  const metrics = Object.entries(p.metrics);
  if (metrics.length > 0) lines.push(`metrics:       ${metrics.map(([k, v]) => `${k}=${formatMetric(v)}`).join(' ')}`);
  if (p.note) lines.push(`note:          ${p.note}`);
  return lines.join('\n');
}
