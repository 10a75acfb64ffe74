import { Command } from 'commander';
import { runCli } from '../cli/main.js';
import { addTrainFlags, type TrainFlags } from '../cli/train-flags.js';
import { captureIo } from './capture-io.js';

/** Runs `forger <args>` in this process, as the CLI would, with its exit code and captured output. */
export async function forger(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, err: io.err(), out: io.out() };
}

/** `forger train`'s flags as commander parses them, without running anything; a bad value throws its message. */
export function parseTrainFlags(args: string[]): TrainFlags {
  return addTrainFlags(new Command('train')).exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }).parse(args, { from: 'user' }).opts<TrainFlags>();
}
