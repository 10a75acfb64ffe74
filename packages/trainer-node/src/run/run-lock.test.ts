import { spawnSync } from 'node:child_process';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { ExitCode } from '../cli/exit-codes.js';
import { captureIo } from '../test-support/capture-io.js';
import { spawnCli, waitForOutput } from '../test-support/spawn-cli.js';
import { LOCK_FILE, RunLock } from './run-lock.js';

const TRAIN = ['train', '--backend', 'cpu', '--batch-size', '8', '--quiet'];

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** The pid of a process that has exited: a lock it held is stale. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

// Issue 18, finding 3: two trainers on one --out silently destroyed each other's data.
describe('the run folder lock', () => {
  it('a second trainer on a held folder exits 1 naming the holder, and touches nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-lock-'));
    const holder = { pid: process.pid, host: hostname(), startedAt: '2026-12-04T19:00:00.000Z', command: 'forger train --out x' };
    await writeFile(join(out, LOCK_FILE), JSON.stringify(holder));
    await writeFile(join(out, 'metrics.jsonl'), '{"step":1}\n');
    const io = captureIo();
    expect(await runCli([...TRAIN, '--steps', '2', '--out', out], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(
      `RunError: ${out} is in use by another forger train: pid ${process.pid} on ${hostname()}, started 2026-12-04T19:00:00.000Z (forger train --out x). ` +
        `Wait for it to finish or train into another --out; if that run is gone, delete ${join(out, LOCK_FILE)}\n`,
    );
    expect(await readFile(join(out, 'metrics.jsonl'), 'utf8')).toBe('{"step":1}\n');
    expect(await exists(join(out, 'checkpoints'))).toBe(false);
  });

  it('a stale lock (its pid is gone) is taken over with a notice, and released at the end', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-lock-'));
    const pid = deadPid();
    await writeFile(join(out, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-12-04T18:00:00.000Z', command: 'forger train' }));
    const io = captureIo();
    expect(await runCli([...TRAIN, '--steps', '2', '--out', out], io)).toBe(ExitCode.ok);
    expect(io.out()).toContain(`taking over the lock of pid ${pid} on ${hostname()} (started 2026-12-04T18:00:00.000Z), which is no longer running`);
    expect(await exists(join(out, 'final.forger'))).toBe(true);
    expect(await exists(join(out, LOCK_FILE))).toBe(false);
  });

  it('two trainers at once: the second exits 1 naming the first\'s pid; the first goes on', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-lock-'));
    const first = spawnCli([...TRAIN, '--steps', '100000', '--log-every', '1', '--out', out]);
    await waitForOutput(first, /step 2\/100000/);
    const io = captureIo();
    expect(await runCli([...TRAIN, '--steps', '2', '--out', out], io)).toBe(ExitCode.failure);
    expect(io.err()).toMatch(new RegExp(`^RunError: ${out} is in use by another forger train: pid ${first.pid} on ${hostname()}, started \\d{4}-`));
    first.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
    const steps = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    expect(new Set(steps).size).toBe(steps.length); // one run's lines, none twice
    expect(await exists(join(out, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('release leaves a lock that another run took over', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-lock-'));
    const lock = await RunLock.acquire(out, { command: 'a', say: () => {} });
    const other = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'later', command: 'b' });
    await writeFile(lock.path, other);
    await lock.release();
    expect(await readFile(lock.path, 'utf8')).toBe(other);
  });
});
