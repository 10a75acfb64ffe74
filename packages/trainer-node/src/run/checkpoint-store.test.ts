import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore } from './checkpoint-store.js';
import { RunLayout, stepOfCheckpointName } from './run-layout.js';

describe('CheckpointStore', () => {
  it('keeps the newest K step checkpoints, in step order', async () => {
    const layout = new RunLayout(await mkdtemp(join(tmpdir(), 'forger-store-')));
    const store = new CheckpointStore(layout, 2);
    for (const step of [100, 200, 300, 1000]) await store.writeStep(step, new Uint8Array([step % 256]));
    expect((await store.stepCheckpoints()).map((c) => c.step)).toEqual([300, 1000]);
    expect(await readdir(layout.checkpointFolder)).toEqual(['step-00000300.forger', 'step-00001000.forger']);
    expect([...(await readFile(layout.stepCheckpoint(1000)))]).toEqual([1000 % 256]);
  });

  it('keeps the newest checkpoint before a step it is given (a --stop-on condition under way) beyond the K newest', async () => {
    const layout = new RunLayout(await mkdtemp(join(tmpdir(), 'forger-store-')));
    const store = new CheckpointStore(layout, 2);
    for (const step of [100, 200]) await store.writeStep(step, new Uint8Array([1]));
    for (const step of [300, 400, 500]) await store.writeStep(step, new Uint8Array([1]), 250);
    expect((await store.stepCheckpoints()).map((c) => c.step)).toEqual([200, 400, 500]);
    expect(await store.lastBefore(250)).toEqual({ step: 200, path: layout.stepCheckpoint(200) });
    expect(await store.lastBefore(200)).toBeUndefined();
    // the stretch is over: pruning goes back to the K newest
    await store.writeStep(600, new Uint8Array([1]));
    expect((await store.stepCheckpoints()).map((c) => c.step)).toEqual([500, 600]);
  });

  it('writes the final checkpoint and the web export beside each other', async () => {
    const layout = new RunLayout(await mkdtemp(join(tmpdir(), 'forger-store-')));
    const paths = await new CheckpointStore(layout).writeFinal(new Uint8Array([1]), new Uint8Array([2]));
    expect(paths).toEqual({ checkpoint: join(layout.folder, 'final.forger'), webExport: join(layout.folder, 'final.web.forger') });
    expect([...(await readFile(paths.webExport!))]).toEqual([2]);
  });

  it('without web bytes (weights float16 cannot hold) writes no web export and removes a stale one (issue 18)', async () => {
    const layout = new RunLayout(await mkdtemp(join(tmpdir(), 'forger-store-')));
    const store = new CheckpointStore(layout);
    await store.writeFinal(new Uint8Array([1]), new Uint8Array([2]));
    const paths = await store.writeFinal(new Uint8Array([3]), undefined);
    expect(paths).toEqual({ checkpoint: join(layout.folder, 'final.forger'), webExport: undefined });
    expect(await readdir(layout.folder)).toEqual(['final.forger']);
  });

  it('refuses to keep fewer than one checkpoint', () => {
    expect(() => new CheckpointStore(new RunLayout('x'), 0)).toThrow(/keep must be an integer ≥ 1/);
  });
});

describe('stepOfCheckpointName', () => {
  it('reads the step of step files only', () => {
    expect(stepOfCheckpointName('step-00001500.forger')).toBe(1500);
    expect(stepOfCheckpointName('final.forger')).toBeUndefined();
    expect(stepOfCheckpointName('.step-00001500.forger.1.ab.forger-tmp')).toBeUndefined();
  });
});
