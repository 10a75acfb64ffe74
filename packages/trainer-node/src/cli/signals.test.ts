import { readFile, readdir } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { TEMP_SUFFIX } from '../run/atomic-write.js';
import { spawnCli, waitForOutput } from '../test-support/spawn-cli.js';

// Real processes and real signals: the two promises of issue 4 that only a child process can check.
describe('forger train under signals', () => {
  it('Ctrl-C (SIGINT) writes a final checkpoint and exits 0', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-sigint-'));
    const child = spawnCli(['train', '--backend', 'cpu', '--batch-size', '8', '--steps', '100000', '--log-every', '1', '--quiet', '--out', out]);
    await waitForOutput(child, /step 2\/100000/);
    child.kill('SIGINT');
    const { code } = await child.exited;
    expect(child.output()).toMatch(/interrupted at step \d+ of 100000: state saved/);
    expect(code).toBe(0);
    const final = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    expect(final.training!.step).toBeGreaterThanOrEqual(2);
  });

  // Issue 18, finding 12: SIGTERM (docker stop, timeout) exited 143 without the final save that SIGINT makes
  it('SIGTERM saves like SIGINT: a final checkpoint, exit 0', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-sigterm-'));
    const child = spawnCli(['train', '--backend', 'cpu', '--batch-size', '8', '--steps', '100000', '--log-every', '1', '--quiet', '--out', out]);
    await waitForOutput(child, /step 2\/100000/);
    child.kill('SIGTERM');
    const { code, signal } = await child.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(child.output()).toMatch(/interrupted at step \d+ of 100000: state saved/);
    const final = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    expect(final.training!.step).toBeGreaterThanOrEqual(2);
  });

  it('kill -9 at any moment leaves the newest checkpoint whole and loadable, and the run resumes from it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-sigkill-'));
    // a checkpoint every step: most instants of the run are inside a checkpoint write
    const args = ['train', '--backend', 'cpu', '--batch-size', '8', '--steps', '100000', '--checkpoint-every', '1', '--log-every', '50', '--quiet', '--out', out];
    let resume: string[] = [];
    let lastStep = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawnCli([...args, ...resume]);
      await waitForOutput(child, /checkpoint .*step-\d+\.forger/);
      await sleep(37 * round + 11);
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');

      const names = await readdir(join(out, 'checkpoints'));
      const steps = names.filter((n) => n.endsWith('.forger')).sort();
      expect(steps.length).toBeGreaterThan(0);
      for (const name of steps) {
        const checkpoint = decodeCheckpoint(await readFile(join(out, 'checkpoints', name)));
        expect(name).toBe(`step-${String(checkpoint.training!.step).padStart(8, '0')}.forger`);
      }
      const newest = join(out, 'checkpoints', steps.at(-1)!);
      const step = decodeCheckpoint(await readFile(newest)).training!.step;
      expect(step).toBeGreaterThan(lastStep);
      lastStep = step;
      // a torn write can only be a temp file, which the next run sweeps
      expect(names.every((n) => n.endsWith('.forger') || n.endsWith(TEMP_SUFFIX))).toBe(true);
      resume = ['--resume', newest];
    }
  });
});
