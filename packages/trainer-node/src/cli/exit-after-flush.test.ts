import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '@forger/core';
import { spawnCli } from '../test-support/spawn-cli.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';

// Issue 18, finding 9: `forger inspect --json big.forger | consumer` received exactly 65,536 bytes with exit 0.
describe('forger on a pipe', () => {
  it('writes all of a large --json output to a slow reader before it exits', async () => {
    const run = await tinyVanillaRun();
    const checkpoint = decodeCheckpoint(await readFile(run.final));
    checkpoint.provenance.note = 'n'.repeat(1_000_000); // the note is free text: a 1 MB summary
    const big = join(run.folder, 'big.forger');
    await writeFile(big, encodeCheckpoint(checkpoint));

    const child = spawnCli(['inspect', '--json', '--tensors', big]);
    // a consumer slower than forger: nothing is read until the process has had time to exit
    const ended = new Promise((resolve) => child.stdout!.once('end', resolve));
    child.stdout!.pause();
    const chunks: Buffer[] = [];
    await sleep(3000);
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    child.stdout!.resume();
    const [{ code }] = await Promise.all([child.exited, ended]);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(code).toBe(0);
    expect(text.length).toBeGreaterThan(1_000_000);
    const summary = JSON.parse(text) as { provenance: { note: string }; tensors: unknown[] };
    expect(summary.provenance.note).toHaveLength(1_000_000);
    expect(summary.tensors.length).toBe(checkpoint.generator.length + checkpoint.discriminator.length);
  }, 120_000);
});
