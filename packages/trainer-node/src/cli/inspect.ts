import { Command } from 'commander';
import { formatCheckpointSummary, summarizeCheckpoint, type CheckpointTensor } from '@forger/core';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { oneLine, printableJson, printableStrings } from './terminal-text.js';

/**
 * `forger inspect X`: what a checkpoint holds, read and validated the way the browser reads it. A bad file gives the
 * CheckpointError message on one line and exit code 1 (reportError), never a stack.
 */
export function inspectCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('inspect')
    .description('summarise a checkpoint: family, shapes, dtypes, size, step, provenance')
    .argument('<checkpoint>', 'a .forger file')
    .option('--tensors', 'also list every tensor with its shape and dtype')
    .option('--json', 'print the summary as JSON')
    .action(async (path: string, flags: { tensors?: boolean; json?: boolean }) => {
      const { checkpoint, fileBytes } = await readCheckpointFile(path);
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
