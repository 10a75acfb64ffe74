import { resolve } from 'node:path';
import { Command } from 'commander';
import { writeRunReport } from '../report/write-report.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';

/**
 * `forger report RUN_DIR`: (re)writes RUN_DIR/report.html from what the run folder holds: metrics.jsonl, the sample
 * grids, the newest checkpoint's config and provenance, any *.score.json. `forger train` writes the same file at
 * each checkpoint and at the end; this command refreshes it after, say, `forger score`.
 */
export function reportCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('report')
    .description('write report.html in a run folder: loss curves with health warnings, sample grids, score, config')
    .argument('<run-dir>', 'the --out folder of a training run')
    .action(async (folder: string) => {
      const path = await writeRunReport(resolve(folder));
      io.stdout.write(`${path}\n`);
      setExitCode(ExitCode.ok);
    });
}
