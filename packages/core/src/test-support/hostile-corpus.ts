// A corpus of hostile and broken checkpoints, built in memory so nothing big is committed (issue 18): files that
// decode yet cannot run (absurd layers, outputs that are not the image, activations of terabytes), NaN and Inf
// weights, weights that overflow to Inf on the way, shape claims, scale bombs and terminal escapes in strings. Every
// consumer (the sampler in chromium, `forger inspect` and `forger generate`) must end each one in a finite image or a
// one-line typed error. Shared with sampler-web and trainer-node tests by relative import; it does not ship.
import { forger } from '@forger/proto';
import { crc32 } from '../checkpoint/crc32.js';
import { encodeCheckpoint, encodeCheckpointPayload } from '../checkpoint/encode.js';
import { exportForWeb } from '../checkpoint/export-for-web.js';
import { CHECKPOINT_FORMAT_VERSION, CHECKPOINT_MAGIC } from '../checkpoint/format.js';
import { float32ToCheckpointTensor } from '../checkpoint/tensor.js';
import type { Checkpoint, CheckpointTensor } from '../checkpoint/types.js';
import { Rng } from '../rng.js';
import { randomTensor, smallCheckpoint } from './fixtures.js';

import v1 = forger.v1;

export interface HostileFile {
  /** Kebab-case, usable as a file name: `<name>.forger`. */
  name: string;
  bytes: Uint8Array;
  /** `image`: a consumer must produce finite images from it; `error`: it must refuse it with a typed error. */
  outcome: 'image' | 'error';
  /** What is wrong with it, and for errors a pattern the one-line message must match. */
  why: string;
  message?: RegExp;
}

/** Any payload in a correct envelope (magic, version, CRC), so the content, not the checksum, is what gets judged. */
export function inEnvelope(payload: Uint8Array): Uint8Array {
  const file = v1.CheckpointFile.encode({ magic: CHECKPOINT_MAGIC, formatVersion: CHECKPOINT_FORMAT_VERSION, payloadCrc32: crc32(payload), payload }).finish();
  return new Uint8Array(file);
}

/** A checkpoint object encoded without validation: for files the writer would refuse to make. */
export function encodeUnchecked(c: Checkpoint): Uint8Array {
  return inEnvelope(encodeCheckpointPayload(c));
}

/** A 4×4 tensor of `dtype` int8 whose per-channel scales number `scales` instead of 4: the scale bomb of finding 6. */
export function scaleBombTensor(name: string, scales: number): CheckpointTensor {
  return { name, shape: [4, 4], dtype: 'int8', data: new Uint8Array(16), scale: new Array<number>(scales).fill(0.01), quantAxis: 1 };
}

const vanilla = (): Checkpoint => smallCheckpoint('vanilla', { seed: 7 });
/** The dcgan fixture with a real batch-norm variance (the fixture draws every tensor from N(0, 0.05), negatives too). */
function dcgan(): Checkpoint {
  const c = smallCheckpoint('dcgan', { seed: 8 });
  c.generator = replace(c.generator, 'g_bn_1/moving_variance', (n) => Float32Array.from({ length: n }, (_, i) => 0.5 + i / n));
  return c;
}

function setValue(tensors: CheckpointTensor[], name: string, index: number, value: number): CheckpointTensor[] {
  return tensors.map((t) => {
    if (t.name !== name) return t;
    const values = new Float32Array(t.data.slice().buffer);
    values[index] = value;
    return float32ToCheckpointTensor(t.name, t.shape, values);
  });
}

function replace(tensors: CheckpointTensor[], name: string, values: (count: number) => Float32Array): CheckpointTensor[] {
  return tensors.map((t) => (t.name === name ? float32ToCheckpointTensor(t.name, t.shape, values(t.shape.reduce((a, b) => a * b, 1))) : t));
}

/** The vanilla fixture with its generator's last layers rebuilt to output [h, w, 1], tensors to match. */
function vanillaOutputting(h: number, w: number): Checkpoint {
  const c = vanilla();
  const rng = Rng.fromSeed(3);
  c.spec.generatorLayers = c.spec.generatorLayers.map((l) =>
    l.name === 'g_dense_2' ? { ...l, units: h * w } : l.name === 'g_reshape' ? { ...l, targetShape: [h, w, 1] } : l,
  );
  c.generator = c.generator.map((t) =>
    t.name === 'g_dense_2/kernel' ? randomTensor(rng, t.name, [8, h * w]) : t.name === 'g_dense_2/bias' ? randomTensor(rng, t.name, [h * w]) : t,
  );
  return c;
}

const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007\r\u001b[31mred';

/** The corpus, newly built (each call returns fresh bytes). About 5 MB in all, most of it the scale bomb. */
export function hostileCorpus(): HostileFile[] {
  const files: HostileFile[] = [];
  const add = (name: string, outcome: HostileFile['outcome'], why: string, bytes: Uint8Array, message?: RegExp) =>
    files.push({ name, outcome, why, bytes, ...(message ? { message } : {}) });

  add('valid-vanilla', 'image', 'a valid full checkpoint (the control)', encodeCheckpoint(vanilla()));
  add('valid-dcgan-int8-web', 'image', 'a valid int8 web export with batch norm', encodeCheckpoint(exportForWeb(dcgan(), { dtype: 'int8' })));

  const upsample = vanilla();
  upsample.spec.generatorLayers.push({ kind: 'reshape', name: 'g_again', targetShape: [4, 4, 1] }, { kind: 'upsample', name: 'g_bomb', kernelSize: 65535 });
  add('upsample-65535', 'error', 'a reshape then an ×65535 upsample: terabytes of activations (finding 1)', encodeCheckpoint(upsample), /g_bomb.*upsample.*256 MiB limit/);

  const reshape = vanilla();
  reshape.spec.generatorLayers = reshape.spec.generatorLayers.map((l) => (l.name === 'g_reshape' ? { ...l, targetShape: [5, 5, 1] } : l));
  add('reshape-count-mismatch', 'error', 'a reshape of 16 values to 25', encodeCheckpoint(reshape), /cannot reshape/);

  const pool = vanilla();
  pool.spec.discriminatorLayers = [{ kind: 'max-pool', name: 'd_pool', kernelSize: 9 }, ...pool.spec.discriminatorLayers];
  add('max-pool-window-over-input', 'error', 'a 9×9 max-pool window on a 4×4 image: output size 0', encodeCheckpoint(pool), /d_pool.*max-pool.*positive integer/);

  add('output-smaller-than-image', 'error', 'the generator outputs 2×2 for a 4×4 image (finding 5)', encodeCheckpoint(vanillaOutputting(2, 2)), /outputs \[2, 2, 1\].*image is \[4, 4, 1\]/);
  add('output-larger-than-image', 'error', 'the generator outputs 8×8 for a 4×4 image (finding 5)', encodeCheckpoint(vanillaOutputting(8, 8)), /outputs \[8, 8, 1\].*image is \[4, 4, 1\]/);

  const units = vanilla();
  units.spec.generatorLayers = units.spec.generatorLayers.map((l) => (l.name === 'g_dense_1' ? { ...l, units: 2 ** 27 } : l));
  add('dense-2e27-units', 'error', 'a dense layer of 2^27 units: 512 MiB for one sample', encodeCheckpoint(units), /g_dense_1.*256 MiB limit/);

  const latent = vanilla();
  latent.spec.latentDim = 2 ** 27;
  add('latent-dim-2e27', 'error', 'a latent vector of 2^27 values: 512 MiB before the first layer', encodeCheckpoint(latent), /input \[134217728\] alone takes 512 MiB/);

  const noLayers = vanilla();
  noLayers.spec.generatorLayers = [];
  add('no-generator-layers', 'error', 'tensors but no generator layers', encodeCheckpoint(noLayers), /at least one layer/);

  add('nan-output-bias', 'error', 'a NaN output bias (finding 2)', encodeCheckpoint({ ...vanilla(), generator: setValue(vanilla().generator, 'g_dense_2/bias', 3, Number.NaN) }), /g_dense_2\/bias.*non-finite/);
  add('inf-hidden-bias', 'error', 'an Inf hidden bias (finding 2)', encodeCheckpoint({ ...vanilla(), generator: setValue(vanilla().generator, 'g_dense_1/bias', 0, Number.POSITIVE_INFINITY) }), /g_dense_1\/bias.*non-finite/);
  const bn = dcgan();
  add('negative-bn-variance', 'error', 'a negative batch-norm moving variance (finding 2)', encodeCheckpoint({ ...bn, generator: setValue(bn.generator, 'g_bn_1/moving_variance', 2, -1) }), /moving_variance.*never negative/);
  add('nan-bn-variance', 'error', 'a NaN batch-norm moving variance (finding 2)', encodeCheckpoint({ ...bn, generator: setValue(bn.generator, 'g_bn_1/moving_variance', 0, Number.NaN) }), /moving_variance.*non-finite/);

  // Finite weights that still overflow: a hidden layer of 3e38 times a kernel of 3e38 is Inf in float32 and in the
  // cpu backend's float64 arithmetic alike, so every pixel is Inf whatever z is. Only checking the output catches it.
  const overflow = vanilla();
  overflow.spec.generatorLayers = overflow.spec.generatorLayers.map((l) => (l.name === 'g_dense_2' ? { ...l, activation: 'linear' as const } : l));
  overflow.generator = replace(overflow.generator, 'g_dense_1/kernel', (n) => new Float32Array(n));
  overflow.generator = replace(overflow.generator, 'g_dense_1/bias', (n) => new Float32Array(n).fill(3e38));
  overflow.generator = replace(overflow.generator, 'g_dense_2/kernel', (n) => new Float32Array(n).fill(3e38));
  add('finite-weights-inf-output', 'error', 'finite weights whose product overflows to Inf pixels (finding 2)', encodeCheckpoint(overflow), /non-finite/);

  const claim = vanilla();
  claim.generator = [...claim.generator.slice(0, -1), { ...claim.generator[claim.generator.length - 1]!, shape: [65536, 65536] }];
  add('shape-claim-4g-elements', 'error', 'a tensor that claims 2^32 elements and carries 64 bytes', encodeUnchecked(claim), /limit per tensor|too-large|elements/);

  const short = vanilla();
  short.generator = short.generator.map((t, i) => (i === 0 ? { ...t, data: t.data.subarray(0, 8) } : t));
  add('shape-claim-truncated', 'error', 'a kernel whose bytes are fewer than its shape says', encodeUnchecked(short), /truncated/);

  const bomb = vanilla();
  bomb.generator = [...bomb.generator, scaleBombTensor('g_dense_1/extra', 1 << 20)];
  add('scale-bomb', 'error', '2^20 int8 scales on a 4×4 tensor (finding 6)', encodeUnchecked(bomb), /int8 scales/);

  const escapes = vanilla();
  escapes.provenance.note = `note ${ESCAPES}`;
  escapes.spec.variant = `variant ${ESCAPES}`;
  add('escapes-in-note-and-variant', 'image', 'clear-screen, OSC title and \\r in the note and variant (finding 10): valid, must print escaped', encodeCheckpoint(escapes));

  return files;
}
