/** Where a command writes, so tests can run commands in-process and read what a user would see. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGINT or SIGTERM: a training run writes its final checkpoint and stops. */
  interrupt?: AbortSignal;
  /** --verbose: how the backend was chosen, and what native libraries printed while it was probed. */
  verbose?: boolean;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };
