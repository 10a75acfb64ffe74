import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { ExitCode } from '../cli/exit-codes.js';
import { captureIo } from '../test-support/capture-io.js';

const TINY = ['train', '--backend', 'cpu', '--batch-size', '8', '--quiet', '--log-every', '1'];

describe('report.html during training', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'forger-report-run-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('a run that diverges leaves a report that names the non-finite step (the nan warning the run recorded)', async () => {
    const io = captureIo();
    expect(await runCli([...TINY, '--steps', '6', '--inject-nan-at-step', '3', '--out', folder], io)).toBe(ExitCode.diverged);
    const html = await readFile(join(folder, 'report.html'), 'utf8');
    expect(html).toContain('<li class="warning">d_loss is NaN at step 3</li>');
  });

  it('a report that cannot be written is a warning, and the run ends as usual', async () => {
    await mkdir(join(folder, 'report.html')); // a folder where the file should go: the rename fails
    const io = captureIo();
    expect(await runCli([...TINY, '--steps', '2', '--checkpoint-every', '1', '--out', folder], io)).toBe(ExitCode.ok);
    expect(io.err()).toMatch(/^warning: report\.html not written \(.*\); training goes on\. Try: forger report /m);
    expect((await stat(join(folder, 'final.forger'))).isFile()).toBe(true);
  });
});
