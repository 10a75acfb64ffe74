/**
 * Exits with `code` once everything written to stdout and stderr has reached the OS. `process.exit()` drops writes
 * still queued on a pipe: `forger inspect --json big.forger | consumer` got exactly 65,536 bytes (a pipe's buffer)
 * and exit 0 (issue 18, finding 9). The explicit exit stays, since a GPU device or a wasm worker may keep the event
 * loop alive. A reader that went away (EPIPE) does not hold the exit up.
 */
export async function exitAfterFlush(code: number, streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): Promise<never> {
  process.exitCode = code;
  await Promise.all(streams.map(flushed));
  process.exit(code);
}

/** Resolves when the stream has handed every earlier write to the OS (a write's callback runs in order), or failed. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const writable = stream as NodeJS.WritableStream & { destroyed?: boolean; writableLength?: number };
    if (writable.destroyed || !writable.writable) {
      resolve();
      return;
    }
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}
