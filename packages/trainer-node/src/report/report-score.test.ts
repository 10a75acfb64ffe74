import { mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { ExitCode } from '../cli/exit-codes.js';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';

describe('forger score leaves final.score.json; forger report shows it', () => {
  let folder: string;
  beforeAll(async () => {
    ({ folder } = await tinyVanillaRun());
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('writes what --json prints beside the checkpoint, and the report lists it until the checkpoint is rewritten', async () => {
    const io = captureIo();
    const checkpoint = join(folder, 'final.forger');
    const code = await runCli(['score', '--checkpoint', checkpoint, '--count', '100', '--limit', '100', '--backend', 'cpu', '--json'], io);
    expect(code, io.err()).toBe(ExitCode.ok);
    const saved = await readFile(join(folder, 'final.score.json'), 'utf8');
    expect(JSON.parse(saved)).toEqual(JSON.parse(io.out()));
    expect(io.err()).toContain(`wrote ${join(folder, 'final.score.json')}`);

    const fid = (JSON.parse(saved) as { frechetDistance: number }).frechetDistance.toFixed(2);
    expect(await runCli(['report', folder], captureIo())).toBe(ExitCode.ok);
    const html = await readFile(join(folder, 'report.html'), 'utf8');
    expect(html).toContain(`<td>final.score.json</td><td>${fid}</td>`);

    // a resumed run rewrites final.forger: the score is then of an earlier state
    const later = new Date(Date.now() + 60_000);
    await utimes(checkpoint, later, later);
    expect(await runCli(['report', folder], captureIo())).toBe(ExitCode.ok);
    expect(await readFile(join(folder, 'report.html'), 'utf8')).toContain('(stale: the checkpoint was rewritten after it was scored)');
  });

  it('report refuses a folder that is not a run, in one line', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'forger-not-a-run-'));
    const io = captureIo();
    expect(await runCli(['report', empty], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(`ReportError: ${empty} holds neither metrics.jsonl nor a checkpoint: is it the --out folder of a training run?\n`);
    await rm(empty, { recursive: true, force: true });
  });
});
