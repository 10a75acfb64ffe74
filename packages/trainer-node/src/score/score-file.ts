import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../run/atomic-write.js';
import type { SampleQualityReport } from './sample-quality.js';

/** Ends the name of the file `forger score --checkpoint X.forger` writes beside X: X.score.json. */
export const SCORE_FILE_SUFFIX = '.score.json';

/** runs/x/final.forger → runs/x/final.score.json; so `forger report` finds the score of a run in its folder. */
export function scoreFileOf(checkpointPath: string): string {
  return join(dirname(checkpointPath), `${basename(checkpointPath).replace(/\.forger$/, '')}${SCORE_FILE_SUFFIX}`);
}

/** The report as `--json` prints it, written atomically beside the checkpoint it scores. */
export async function writeScoreFile(checkpointPath: string, report: SampleQualityReport): Promise<string> {
  const path = scoreFileOf(checkpointPath);
  await writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
