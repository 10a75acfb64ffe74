import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyVanillaRun } from '../test-support/tiny-run.js';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/**
 * Issue 17 item 4: `pnpm forger inspect --json X > f.json` wrote turbo's build banner to stdout first. The root
 * script now sends the build's output to stderr; this runs the real command (turbo included, so one test only).
 */
describe('pnpm forger', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it('prints only the CLI\'s own output on stdout: `pnpm forger inspect --json` parses', () => {
    const result = spawnSync('pnpm', ['forger', 'inspect', '--json', run.final], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: run.final, family: 'vanilla', training: { step: 2 } });
  }, 240_000);
});
