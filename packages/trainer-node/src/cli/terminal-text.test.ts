import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '@forger/core';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { oneLine, printableJson, printableStrings } from './terminal-text.js';

const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\rline\nnext\u007f\u009b31m';
// every C0, DEL and C1 control: none may reach a terminal raw
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('oneLine', () => {
  it('writes C0, DEL and C1 controls as visible escapes, and keeps all else', () => {
    expect(oneLine(HOSTILE)).toBe('\\x1b[2J\\x1b]0;pwned\\x07\\x0dline\\x0anext\\x7f\\x9b31m');
    expect(oneLine('dcgan — keras-dcgan 28×28 ✓')).toBe('dcgan — keras-dcgan 28×28 ✓');
  });

  it('printableStrings escapes every string of plain data; printableJson stays the same JSON value', () => {
    expect(printableStrings({ a: [HOSTILE, 1], b: { c: '\r' } })).toEqual({ a: [oneLine(HOSTILE), 1], b: { c: '\\x0d' } });
    const json = printableJson({ note: HOSTILE });
    expect(json).not.toMatch(CONTROLS);
    expect(JSON.parse(json)).toEqual({ note: HOSTILE });
  });
});

// Issue 18, finding 10: inspect printed a checkpoint's note and variant raw.
describe('forger inspect on a checkpoint with escape sequences in its strings', () => {
  it('prints them escaped, as text and as JSON', async () => {
    const run = await tinyVanillaRun();
    const checkpoint = decodeCheckpoint(await readFile(run.final));
    checkpoint.provenance.note = HOSTILE;
    checkpoint.spec.variant = `tf\u001b]0;title\u0007`;
    const path = join(run.folder, 'hostile.forger');
    await writeFile(path, encodeCheckpoint(checkpoint));

    const text = captureIo();
    expect(await runCli(['inspect', '--tensors', path], text)).toBe(ExitCode.ok);
    expect(text.out()).not.toMatch(CONTROLS);
    expect(text.out()).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\x0dline\\x0anext');
    expect(text.out()).toContain('tf\\x1b]0;title\\x07');

    const json = captureIo();
    expect(await runCli(['inspect', '--json', path], json)).toBe(ExitCode.ok);
    expect(json.out()).not.toMatch(CONTROLS);
    expect(JSON.parse(json.out())).toMatchObject({ variant: checkpoint.spec.variant, provenance: { note: HOSTILE } });
  }, 60_000);
});
