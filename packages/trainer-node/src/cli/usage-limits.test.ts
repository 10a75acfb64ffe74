import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../test-support/capture-io.js';
import { writeIdxDataset } from '../test-support/idx-dataset.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { MAX_LATENT_DIM, MEMORY_BOUND_BYTES, maxBatchSize, maxGenerateCount } from '../run/usage-limits.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

async function train(...args: string[]): Promise<{ code: number; err: string; out: string; folder: string }> {
  const folder = join(await mkdtemp(join(tmpdir(), 'forger-limits-')), 'run');
  const io = captureIo();
  const code = await runCli(['train', '--backend', 'cpu', '--quiet', '--steps', '1', '--out', folder, ...args], io);
  return { code, err: io.err(), out: io.out(), folder };
}

describe('usage limits derived from the 1 GiB bound', () => {
  it('are what README.md lists', () => {
    expect(MEMORY_BOUND_BYTES).toBe(2 ** 30);
    expect(MAX_LATENT_DIM).toBe(65_536);
    expect(maxBatchSize({ height: 28, width: 28, channels: 1 })).toBe(5_349);
    expect(maxBatchSize({ height: 32, width: 32, channels: 3 })).toBe(4_096);
    expect(maxGenerateCount({ height: 28, width: 28, channels: 1 }, 100)).toBe(342_392);
  });

  // Issue 18, finding 12: --batch-size 60000 took 3.4 GB
  it('--batch-size 60000 on MNIST is a usage error naming the limit, exit 2, nothing written', async () => {
    const { code, err, folder } = await train('--batch-size', '60000');
    expect(code).toBe(ExitCode.usage);
    expect(err).toBe('error: --batch-size 60000 is too large for 28×28 images: at most 5,349 (one step\'s largest activation, 64 channels per pixel, must fit in 1 GiB) (see: forger train --help)\n');
    expect(await exists(folder)).toBe(false);
  });

  // Issue 18, finding 12: fewer labels than classes trained
  it('--labeled-count 5 (fewer than the 10 classes) is a usage error, exit 2', async () => {
    const { code, err, folder } = await train('--model', 'ssgan', '--labeled-count', '5', '--batch-size', '8');
    expect(code).toBe(ExitCode.usage);
    expect(err).toMatch(/^error: --labeled-count 5 is fewer than the 10 classes of mnist: .*at least one per class/);
    expect(await exists(folder)).toBe(false);
  });

  it('the same for the supervised baseline', async () => {
    const { code, err } = await train('--model', 'ssgan', '--supervised-only', '--labeled-count', '5', '--batch-size', '8');
    expect(code).toBe(ExitCode.usage);
    expect(err).toMatch(/^error: --labeled-count 5 is fewer than the 10 classes/);
  });

  // Issue 18, finding 8: a 2-channel IDX trained, then crashed on the final grid with an ImageGridError stack
  it('a 2-channel IDX dataset is refused before training, exit 1, nothing written', async () => {
    const images = await writeIdxDataset([4, 4, 2], { count: 32 });
    const { code, err, out, folder } = await train('--dataset', images, '--batch-size', '8');
    expect(code).toBe(ExitCode.failure);
    expect(err).toBe(`RunError: --dataset ${images} has 2-channel images; forger draws 1 (grey), 3 (RGB) or 4 (RGBA) channels\n`);
    expect(out).not.toMatch(/step|training:/);
    expect(await exists(folder)).toBe(false);
  });

  it('a 3-channel IDX dataset of the same size trains', async () => {
    const images = await writeIdxDataset([4, 4, 3], { count: 32 });
    const { code, err } = await train('--dataset', images, '--batch-size', '8');
    expect(err).toBe('');
    expect(code).toBe(ExitCode.ok);
  }, 60_000);
});
