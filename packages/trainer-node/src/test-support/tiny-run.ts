import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/main.js';
import { captureIo } from './capture-io.js';

/**
 * A 2-step vanilla run on the cpu backend: a real final.forger and final.web.forger to inspect and sample.
 * `extraFlags` are more `forger train` flags (e.g. a longer run that logs and samples more often).
 */
export async function tinyVanillaRun(extraFlags: readonly string[] = []): Promise<{ folder: string; final: string; web: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'forger-fixture-'));
  const io = captureIo();
  const code = await runCli(['train', '--backend', 'cpu', '--batch-size', '8', '--steps', '2', '--quiet', '--out', folder, ...extraFlags], io);
  if (code !== 0) throw new Error(`fixture run failed (${code}):\n${io.out()}\n${io.err()}`);
  return { folder, final: join(folder, 'final.forger'), web: join(folder, 'final.web.forger') };
}
