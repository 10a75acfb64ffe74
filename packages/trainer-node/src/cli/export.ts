import { Command, Option } from 'commander';
import { encodeCheckpoint, exportForWeb, type DType } from '@forger/core';
import { checkModelCheckpoint } from '@forger/models';
import { writeFileAtomic } from '../run/atomic-write.js';
import { CHECKPOINT_INPUT, addCheckpointInput, checkpointPathOf } from './checkpoint-input.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { requireInputs } from './required-flags.js';
import { UsageError } from '../run/usage-error.js';

const WEB_DTYPES: DType[] = ['float16', 'int8', 'float32'];

/**
 * `forger export X --out Y [--dtype int8]`: the generator-only web file of any checkpoint (no discriminator, no
 * training state), for pages that embed @forger/sampler-web. `train` already writes a float16 one next to its final
 * checkpoint; int8 halves that again (a DCGAN generator: 12.8 MB float16, 6.4 MB int8).
 */
export function exportCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('export').description('write the generator-only web export of a checkpoint (float16 or int8)');
  return addCheckpointInput(command, 'a .forger file')
    .option('--out <file>', 'the web export to write, e.g. model.web.forger (required)')
    .addOption(new Option('--dtype <dtype>', 'weight type of kernels (1-D tensors stay float32)').choices(WEB_DTYPES).default('float16'))
    .action(async (positional: string | undefined, flags: { checkpoint?: string; out?: string; dtype: DType }) => {
      const given = checkpointPathOf(positional, flags.checkpoint);
      requireInputs([[CHECKPOINT_INPUT, given], ['--out <file>', flags.out]]);
      const path = given!;
      const out = flags.out!;
      if (out === path) throw new UsageError('usage', '--out must differ from the checkpoint it exports', { where: '--out' });
      const checkpoint = (await readCheckpointFile(path)).checkpoint;
      if (checkpoint.generator.length === 0) {
        throw new UsageError('usage', `${path} is a ${checkpoint.spec.family} checkpoint without a generator: nothing to export`, { where: '<checkpoint>' });
      }
      checkModelCheckpoint(checkpoint); // never publish a model that cannot run or holds NaN weights
      const bytes = encodeCheckpoint(exportForWeb(checkpoint, { dtype: flags.dtype }));
      await writeFileAtomic(out, bytes);
      io.stdout.write(`wrote ${out} (${bytes.byteLength.toLocaleString('en-US')} bytes, generator only, ${flags.dtype})\n`);
      setExitCode(ExitCode.ok);
    });
}
