import { Command } from 'commander';
import { checkModelCheckpoint } from '@forger/models';
import { formatCheckpointSummary, summarizeCheckpoint, type CheckpointTensor } from '@forger/core';
import { CHECKPOINT_INPUT, addCheckpointInput, checkpointPathOf } from './checkpoint-input.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { requireInputs } from './required-flags.js';
import { oneLine, printableJson, printableStrings } from './terminal-text.js';

/**
 * `forger inspect X`: what a checkpoint holds, read and validated the way the browser reads it (the bytes, then that
 * its networks can run: shapes, activation memory, finite weights). A bad file gives the
 * CheckpointError message on one line and exit code 1 (reportError), never a stack.
 */
export function inspectCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('inspect').description('summarise a checkpoint: family, shapes, dtypes, size, step, provenance');
  return addCheckpointInput(command, 'a .forger file')
    .option('--tensors', 'also list every tensor with its shape and dtype')
    .option('--json', 'print the summary as JSON')
    .action(async (positional: string | undefined, flags: { checkpoint?: string; tensors?: boolean; json?: boolean }) => {
      const given = checkpointPathOf(positional, flags.checkpoint);
      requireInputs([[CHECKPOINT_INPUT, given]]);
      const path = given!;
      const { checkpoint, fileBytes } = await readCheckpointFile(path);
      // Valid bytes are not yet a model that runs: the same check the sampler and generate make (issue 18).
      checkModelCheckpoint(checkpoint);
      const summary = summarizeCheckpoint(checkpoint);
      if (flags.json) {
        const tensors = flags.tensors ? { tensors: tensorList(checkpoint.generator, checkpoint.discriminator) } : {};
        io.stdout.write(`${printableJson({ file: path, fileBytes, ...summary, ...tensors })}\n`);
      } else {
        // the note, the variant and tensor names come from the file: never raw to the terminal
        io.stdout.write(`file:          ${oneLine(path)} (${fileBytes.toLocaleString('en-US')} bytes)\n${formatCheckpointSummary(printableStrings(summary))}\n`);
        if (flags.tensors) {
          for (const t of tensorList(checkpoint.generator, checkpoint.discriminator)) {
            io.stdout.write(`  ${t.network.padEnd(13)} ${oneLine(t.name).padEnd(40)} [${t.shape.join(', ')}] ${oneLine(String(t.dtype))}\n`);
          }
        }
      }
      setExitCode(ExitCode.ok);
    });
}

function tensorList(generator: CheckpointTensor[], discriminator: CheckpointTensor[]) {
  return [
    ...generator.map((t) => ({ network: 'generator', name: t.name, shape: t.shape, dtype: t.dtype })),
    ...discriminator.map((t) => ({ network: 'discriminator', name: t.name, shape: t.shape, dtype: t.dtype })),
  ];
}
