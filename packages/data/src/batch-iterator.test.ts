import { describe, expect, it } from 'vitest';
import { BatchIterator, batchesPerEpoch } from './batch-iterator.js';
import { syntheticDataset } from './test-support/synthetic.js';
import { thrown } from './test-support/thrown.js';

const ds = syntheticDataset(103);

function epochIndices(it: BatchIterator, epoch: number): number[] {
  const seen: number[] = [];
  for (;;) {
    const batch = it.next();
    expect(batch.epoch).toBe(epoch);
    seen.push(...batch.indices);
    if (batch.lastInEpoch) return seen;
  }
}

describe('BatchIterator', () => {
  it('visits every example exactly once per epoch, then starts the next epoch', () => {
    const it = new BatchIterator(ds, { batchSize: 10, seed: 1 });
    const first = epochIndices(it, 0);
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(first).not.toEqual(Array.from({ length: 103 }, (_, i) => i)); // shuffled
    expect(it.position()).toMatchObject({ epoch: 1, nextIndex: 0 });
    expect(it.next().epoch).toBe(1);
  });

  it('batches carry the images and labels of the examples they name', () => {
    const it = new BatchIterator(ds, { batchSize: 16, seed: 5 });
    const batch = it.next();
    expect(batch.count).toBe(16);
    expect(batch.images.length).toBe(16 * 6);
    for (let k = 0; k < batch.count; k++) {
      const example = batch.indices[k]!;
      expect(batch.labels[k]).toBe(example % 10);
      expect(Array.from(batch.images.subarray(k * 6, (k + 1) * 6))).toEqual(new Array(6).fill(example));
    }
  });

  it('the same seed gives the same order; another seed another order', () => {
    const a = epochIndices(new BatchIterator(ds, { batchSize: 8, seed: 42 }), 0);
    const b = epochIndices(new BatchIterator(ds, { batchSize: 8, seed: 42 }), 0);
    const c = epochIndices(new BatchIterator(ds, { batchSize: 8, seed: 43 }), 0);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('each epoch has its own order, and it does not depend on the batch size', () => {
    const it = new BatchIterator(ds, { batchSize: 8, seed: 7 });
    const e0 = epochIndices(it, 0);
    const e1 = epochIndices(it, 1);
    expect(e0).not.toEqual(e1);
    expect(Array.from(new BatchIterator(ds, { batchSize: 50, seed: 7 }).epochOrder(1))).toEqual(e1);
  });

  it('counts an epoch\'s batches before any iterator exists, as the iterator yields them', () => {
    for (const [size, dropLast] of [[25, false], [25, true], [40, true], [40, false]] as const) {
      const batches = new BatchIterator(ds, { batchSize: size, seed: 3, dropLast });
      let yielded = 0;
      while (batches.next().epoch === 0) yielded++;
      expect(batchesPerEpoch(ds.count, size, dropLast)).toBe(yielded);
    }
  });

  it('keeps the last partial batch by default and drops it with dropLast', () => {
    const keep = new BatchIterator(ds, { batchSize: 25, seed: 3 });
    expect(keep.batchesPerEpoch).toBe(5);
    expect([1, 2, 3, 4, 5].map(() => keep.next().count)).toEqual([25, 25, 25, 25, 3]);
    const drop = new BatchIterator(ds, { batchSize: 25, seed: 3, dropLast: true });
    expect(drop.batchesPerEpoch).toBe(4);
    const counts = [1, 2, 3, 4].map(() => drop.next());
    expect(counts.map((b) => b.count)).toEqual([25, 25, 25, 25]);
    expect(counts[3]!.lastInEpoch).toBe(true);
    const nextEpoch = drop.next();
    expect(nextEpoch.epoch).toBe(1);
    expect(nextEpoch.count).toBe(25);
  });

  it('a saved position resumes exactly: the new iterator yields the same next batches', () => {
    const original = new BatchIterator(ds, { batchSize: 9, seed: 2024 });
    for (let k = 0; k < 14; k++) original.next(); // into the second epoch
    const saved = JSON.parse(JSON.stringify(original.position())); // as a checkpoint stores it
    expect(saved).toEqual({ dataset: 'synthetic', split: 'train', shuffleSeed: 2024, epoch: 1, nextIndex: 18 });
    const resumed = new BatchIterator(ds, { batchSize: 9, seed: 2024, position: saved });
    for (let k = 0; k < 30; k++) {
      const expected = original.next();
      const actual = resumed.next();
      expect(actual.epoch).toBe(expected.epoch);
      expect(actual.indices).toEqual(expected.indices);
      expect(actual.images).toEqual(expected.images);
      expect(actual.labels).toEqual(expected.labels);
    }
  });

  it('a position at the end of an epoch resumes at the start of the next', () => {
    const it = new BatchIterator(ds, {
      batchSize: 10,
      seed: 9,
      position: { dataset: 'synthetic', split: 'train', shuffleSeed: 9, epoch: 3, nextIndex: 103 },
    });
    expect(it.position()).toMatchObject({ epoch: 4, nextIndex: 0 });
    expect(it.next().indices).toEqual(it.epochOrder(4).slice(0, 10));
  });

  it('iterates over a subset of indices only', () => {
    const subset = Uint32Array.of(5, 17, 33, 80, 99);
    const it = new BatchIterator(ds, { batchSize: 2, seed: 1, indices: subset });
    const seen = epochIndices(it, 0);
    expect(seen.sort((a, b) => a - b)).toEqual([5, 17, 33, 80, 99]);
  });

  it('with shuffle: false, goes in dataset order (evaluation)', () => {
    const it = new BatchIterator(ds, { batchSize: 4, seed: 0, shuffle: false });
    expect(Array.from(it.next().indices)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a position saved for another dataset, split or seed, or past the epoch', () => {
    const base = { dataset: 'synthetic', split: 'train', shuffleSeed: 1, epoch: 0, nextIndex: 0 };
    const make = (position: typeof base) => () => new BatchIterator(ds, { batchSize: 4, seed: 1, position });
    expect(thrown(make({ ...base, dataset: 'mnist' })).code).toBe('position-mismatch');
    expect(thrown(make({ ...base, split: 'test' })).code).toBe('position-mismatch');
    const seed = thrown(make({ ...base, shuffleSeed: 2 }));
    expect(seed.code).toBe('position-mismatch');
    expect(seed.message).toContain('seed 1');
    expect(thrown(make({ ...base, nextIndex: 104 })).code).toBe('position-mismatch');
    expect(thrown(make({ ...base, epoch: -1 })).code).toBe('position-mismatch');
  });

  it('refuses options that could never yield a batch', () => {
    expect(thrown(() => new BatchIterator(ds, { batchSize: 0, seed: 1 })).code).toBe('bad-option');
    expect(thrown(() => new BatchIterator(ds, { batchSize: 200, seed: 1, dropLast: true })).code).toBe('bad-option');
    expect(thrown(() => new BatchIterator(ds, { batchSize: 2, seed: 1, indices: new Uint32Array(0) })).code).toBe('bad-option');
    expect(thrown(() => new BatchIterator(ds, { batchSize: 2, seed: 1, indices: Uint32Array.of(3, 103) })).code).toBe('bad-option');
  });
});
