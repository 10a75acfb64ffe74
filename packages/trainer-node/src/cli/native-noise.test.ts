import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../backends/index.js';
import { captureIo } from '../test-support/capture-io.js';
import { spawnCli } from '../test-support/spawn-cli.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { reportError } from './report-error.js';

/** What Dawn and the Vulkan loader print from native code on a machine without a usable GPU (issue 17 item 4). */
const NATIVE_NOISE = /XDG_RUNTIME_DIR|Vulkan|BackendType|dawn/i;

async function forger(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnCli(args);
  const { code } = await child.exited;
  return { code, output: child.output() };
}

describe('native noise of the backend probe', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  // a real process: Dawn writes to file descriptor 2 from native code, which only a child's pipe can show
  it('is not printed when a backend starts, and --verbose shows how auto chose', async () => {
    const plain = await forger(['generate', run.final, '--count', '1', '--out', `${run.folder}/one.png`]);
    expect(plain.code, plain.output).toBe(0);
    expect(plain.output).not.toMatch(NATIVE_NOISE);
    expect(plain.output).not.toMatch(/trying backend/);
    expect(plain.output).toMatch(/^backend: \w+/m);
    const verbose = await forger(['--verbose', 'generate', run.final, '--count', '1', '--out', `${run.folder}/two.png`]);
    expect(verbose.code, verbose.output).toBe(0);
    expect(verbose.output).toMatch(/^trying backend tensorflow …$/m);
    // whatever Dawn said while it was probed (nothing on some machines) comes under this heading, never bare
    if (NATIVE_NOISE.test(verbose.output)) expect(verbose.output).toMatch(/native output of the backend probe:\n/);
  }, 120_000);

  it('is shown when no backend starts: it may say why', () => {
    const io = captureIo();
    const failure = new BackendError('no-adapter', 'Dawn found no GPU adapter', { where: 'webgpu', nativeOutput: 'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n' });
    expect(reportError(failure, io, 'generate')).toBe(ExitCode.failure);
    expect(io.err()).toBe('BackendError: Dawn found no GPU adapter\nnative output of the backend probe:\nWarning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n');
  });
});
