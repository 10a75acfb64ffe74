import { writeFileAtomic } from '../run/atomic-write.js';
import { RunLayout } from '../run/run-layout.js';
import { readRunReportData } from './report-data.js';
import { renderReportHtml } from './report-html.js';
import { chartAssets } from './uplot-assets.js';

/** Reads the run folder and (re)writes its report.html atomically; returns its path. */
export async function writeRunReport(folder: string): Promise<string> {
  const html = renderReportHtml(await readRunReportData(folder), await chartAssets());
  const path = new RunLayout(folder).report;
  await writeFileAtomic(path, html);
  return path;
}

/**
 * For the training loop: a report that cannot be written is worth a warning on stderr, never the run.
 * Returns the path, or undefined when it failed.
 */
export async function refreshRunReport(folder: string, stderr: NodeJS.WritableStream): Promise<string | undefined> {
  try {
    return await writeRunReport(folder);
  } catch (error) {
    stderr.write(`warning: report.html not written (${(error as Error)?.message ?? String(error)}); training goes on. Try: forger report ${folder}\n`);
    return undefined;
  }
}
