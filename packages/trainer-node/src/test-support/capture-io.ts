import { PassThrough } from 'node:stream';
import type { CliIo } from '../io/cli-io.js';

/** A CliIo whose stdout and stderr are collected as text, for running commands in-process. */
export function captureIo(interrupt?: AbortSignal): CliIo & { out: () => string; err: () => string } {
  const collect = () => {
    const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const stdout = collect();
  const stderr = collect();
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    ...(interrupt ? { interrupt } : {}),
    out: stdout.text,
    err: stderr.text,
  };
}
