import { basename, dirname } from 'node:path';
import { Command } from 'commander';
import { runBaseline } from '../run/baseline-run.js';
import { runTraining, type RunTrainingOptions } from '../run/training-run.js';
import { RunError } from '../run/run-error.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { checkResumableWeights } from '../run/finite-weights.js';
import { checkTrainFlagLimits } from '../run/usage-limits.js';
import { addTrainFlags, parseStoredConfig, resolveTrainConfig, type TrainFlags } from './train-flags.js';

/** `forger train`: flags → config → a training run. Everything that can be refused is refused before a file is written. */
export function trainCommand(io: CliIo, setExitCode: (code: number) => void, argv: readonly string[] = []): Command {
  const command = new Command('train').description('train a GAN; writes checkpoints, sample grids and metrics.jsonl to --out');
  addTrainFlags(command).action(async (flags: TrainFlags) => {
    let resumeFrom: RunTrainingOptions['resumeFrom'];
    let previous;
    if (flags.resume !== undefined) {
      // a corrupt file is refused here, before the run folder is touched
      const checkpoint = (await readCheckpointFile(flags.resume)).checkpoint;
      if (!checkpoint.training) {
        throw new RunError('not-resumable', `${flags.resume} holds no training state (a web export?); resume from a file of the run's checkpoints/ folder or its final.forger`, { where: flags.resume }
        );
      }
      checkResumableWeights(checkpoint, flags.resume);
      previous = parseStoredConfig(checkpoint.training.configJson, flags.resume);
      resumeFrom = { checkpoint, path: flags.resume, config: previous };
    }
    // a resumed run goes on in the folder its checkpoint is in, wherever that folder has moved since
    const out = flags.out ?? (flags.resume !== undefined ? runFolderOf(flags.resume) : undefined);
    const config = resolveTrainConfig({ ...flags, ...(out !== undefined ? { out } : {}) }, previous);
    checkTrainFlagLimits(config);
    const run = config.supervisedOnly ? runBaseline : runTraining;
    // the provenance note: the command line as the user typed it
    const commandLine = `forger ${argv.join(' ')}`.trim();
    await run(config, { io, commandLine, ...(resumeFrom ? { resumeFrom } : {}) });
    setExitCode(ExitCode.ok);
  });
  return command;
}

/** runs/x/checkpoints/step-00000500.forger and runs/x/final.forger both belong to runs/x. */
export function runFolderOf(checkpointPath: string): string {
  const folder = dirname(checkpointPath);
  return basename(folder) === 'checkpoints' ? dirname(folder) : folder;
}
