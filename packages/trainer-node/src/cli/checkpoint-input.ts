import type { Command } from 'commander';
import { UsageError } from '../run/usage-error.js';

/** How a command's help and errors name its checkpoint input. */
export const CHECKPOINT_INPUT = '<checkpoint> (or --checkpoint <file>)';

/**
 * Every command that reads a checkpoint takes it the same way: as its first positional argument
 * (`forger generate runs/x/final.forger`) or as `--checkpoint <file>`. Both are declared optional to commander;
 * checkpointPathOf says which was given, and requireInputs reports it missing with the command's other inputs.
 */
export function addCheckpointInput(command: Command, description: string): Command {
  return command.argument('[checkpoint]', description).option('--checkpoint <file>', `the same, as a flag: ${description}`);
}

/** The checkpoint the user named, positionally or with --checkpoint; both at once is a usage error. */
export function checkpointPathOf(positional: string | undefined, flag: string | undefined): string | undefined {
  if (positional !== undefined && flag !== undefined) {
    throw new UsageError('usage', `give the checkpoint once: as the first argument ("${positional}") or as --checkpoint ("${flag}"), not both`, { where: '--checkpoint' });
  }
  return positional ?? flag;
}
