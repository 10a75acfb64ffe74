// `pnpm bench`: how fast the data pipeline feeds training. Loads embedded MNIST
// train, then iterates one shuffled epoch at batch 64 converting every batch to
// floats in [-1, 1], the work a tanh-generator training step asks of it.
// Prints one JSON object. The data must never be the bottleneck: a GAN step on
// MNIST takes milliseconds, so batches/s should be in the thousands.
import { BatchIterator } from '../batch-iterator.js';
import { toFloatBatch } from '../normalize.js';
import { loadDataset } from '../node/load-dataset.js';

const BATCH_SIZE = 64;
const SEED = 1;

const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const samplePeak = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const loadStart = performance.now();
const ds = await loadDataset('mnist', { split: 'train' });
const loadMs = performance.now() - loadStart;
samplePeak();

const iterator = new BatchIterator(ds, { batchSize: BATCH_SIZE, seed: SEED });
const floats = new Float32Array(BATCH_SIZE * 784);
let batches = 0;
let images = 0;
let checksum = 0; // read the floats so the conversion cannot be optimised away
const epochStart = performance.now();
for (;;) {
  const batch = iterator.next();
  const values = toFloatBatch(batch.images, 'minus-one-one', floats.subarray(0, batch.images.length));
  checksum += values[0]!;
  batches += 1;
  images += batch.count;
  if (batches % 100 === 0) samplePeak();
  if (batch.lastInEpoch) break;
}
const epochMs = performance.now() - epochStart;
samplePeak();
// resourceUsage().maxRSS is the OS's own peak (KiB): it also catches spikes between samples.
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

console.log(
  JSON.stringify({
    benchmark: '@forger/data epoch',
    dataset: 'mnist/train',
    count: ds.count,
    batchSize: BATCH_SIZE,
    loadMs: Math.round(loadMs * 10) / 10,
    epochMs: Math.round(epochMs * 10) / 10,
    batches,
    images,
    batchesPerSecond: Math.round(batches / (epochMs / 1000)),
    imagesPerSecond: Math.round(images / (epochMs / 1000)),
    datasetMiB: mib(ds.images.byteLength + ds.labels.byteLength),
    peakRssDeltaMiB: mib(peakRss - rssBefore),
    node: process.version,
    checksum: Number.isFinite(checksum),
  }),
);
