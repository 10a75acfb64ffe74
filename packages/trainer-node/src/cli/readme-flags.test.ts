import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXED_ON_RESUME, TRAIN_FLAG_ROWS, describeDefault, describeFamilies, flagName } from '../run/train-flag-table.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rootReadme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

/** The cells of a Markdown table row, trimmed, with the empty ends the outer pipes leave; `\|` stays inside a cell. */
function tableCells(line: string): string[] {
  return line.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** The rows of the README's `forger train` flag table: flag name → default cell (backticks dropped). */
function readmeFlagTable(): Map<string, string> {
  const section = readme.slice(readme.indexOf('### `forger train`'));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `--')) {
      if (rows.size > 0) break;
      continue;
    }
    const cells = tableCells(line);
    rows.set(cells[1]!.replace(/^`(--[a-z0-9-]+).*$/, '$1'), cells[3]!.replace(/`/g, ''));
  }
  return rows;
}

/** Issue 17 item 6: the README's defaults are the code's (the flag table in src/run/train-flag-table.ts). */
describe("trainer-node README's flag table", () => {
  const table = readmeFlagTable();

  it('lists every flag of forger train and no other (test hooks excepted)', () => {
    const flags = TRAIN_FLAG_ROWS.filter(([, row]) => !row.hidden).map(([field]) => flagName(field));
    expect([...table.keys()].sort()).toEqual([...flags, '--resume'].sort());
  });

  it.each(TRAIN_FLAG_ROWS.filter(([, row]) => !row.hidden))('gives %s the default the code applies', (field, row) => {
    expect(table.get(flagName(field))).toBe(describeDefault(row));
  });

  it('names every field a resumed run may not change', () => {
    const sentence = readme.slice(readme.indexOf('A resumed run may change'), readme.indexOf('refused with exit code 2'));
    for (const field of FIXED_ON_RESUME) expect(sentence).toContain(`\`${flagName(field)}\``);
  });
});

/** The root README's table of switches: one row of cells (switch, words, families, default) per line, in order. */
function rootSwitchTable(): string[][] {
  const start = rootReadme.indexOf('<!-- switches:start -->');
  const end = rootReadme.indexOf('<!-- switches:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no table between the switches markers');
  return rootReadme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `--'))
    .map((line) => tableCells(line).slice(1, -1).map((cell) => cell.replace(/\\\|/g, '|')));
}

/** Issue 16: the root README's table of the chapter's tricks (switch, the source's words, families, default) is the code's. */
describe("root README's table of switches", () => {
  const tricks = TRAIN_FLAG_ROWS.filter(([, row]) => row.trick !== undefined);
  const table = rootSwitchTable();

  it('lists every trick of the flag table, in its order, and nothing else', () => {
    expect(table.map((cells) => cells[0])).toEqual(tricks.map(([field]) => `\`${flagName(field)}\``));
  });

  it.each(tricks)("gives %s the code's words, families and default", (field, row) => {
    const cells = table.find((c) => c[0] === `\`${flagName(field)}\``);
    expect(cells).toEqual([`\`${flagName(field)}\``, row.trick, describeFamilies(row), describeDefault(row)]);
  });
});
