import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `forger <args>` as a child process, run from source (tsx, the @forger/source condition) so that a test never
 * runs a stale dist/ of this package or of its siblings. For the tests that need a real process: signals.
 */
export function spawnCli(args: string[]): ChildProcess & { output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--conditions=@forger/source', '--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: packageRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return Object.assign(child, { output: () => text, exited });
}

/** Resolves when the child's output matches `pattern`; rejects if it exits first or after `timeoutMs`. */
export function waitForOutput(child: ReturnType<typeof spawnCli>, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    const check = (): void => {
      if (pattern.test(child.output())) done();
    };
    const onExit = (): void => done(new Error(`exited before printing ${pattern}:\n${child.output()}`));
    function done(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
    check();
  });
}
