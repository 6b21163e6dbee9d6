/**
 * Writes a sweep's report into its result folder:
 *
 *   report.html          one self-contained page (inline SVG, no script, no network)
 *   figures/<id>.svg     each chart as SVG …
 *   figures/<id>.png     … and as PNG (2× scale)
 *   summary.csv          one row per run and layer
 *   sweep.json           the SweepResult with its aggregate
 *
 * All of it is written with writeFolder: a failure leaves the previous report
 * whole, and nothing else in the folder (manifest, runs, exports) is touched.
 *
 *     const html = await writeReport(dir, outcome.result, outcome.records);
 */
import { arithmeticOf } from '../contract/recordArithmetic.js';
import { join } from 'node:path';
import type { RunRecord } from '../contract/record.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import { FLUCTLAB_VERSION } from '../contract/version.js';
import { sweepCharts } from '../report/charts.js';
import { summaryCsv } from '../report/csv.js';
import { reportHtml } from '../report/html.js';
import { bandLine } from '../report/table.js';
import { writeFolder } from './folderWriter.js';

export const reportPath = (dir: string) => join(dir, 'report.html');

/** What writing a report produced. */
export interface ReportOutcome {
  /** path of report.html */
  html: string;
  figures: string[];
  /** vega / vega-lite warnings while rendering (empty when every chart rendered cleanly) */
  warnings: string[];
  seconds: number;
}

/**
 * Renders every chart and writes report.html, figures/, summary.csv and sweep.json into `dir`, all or nothing (figures/
 * replaced as a whole); what `fluctlab report` writes.
 *
 *     const { html } = await writeReport('runs/mine', result, records); // runs/mine/report.html
 */
export async function writeReport(
  dir: string,
  result: SweepResult,
  records: readonly RunRecord[],
): Promise<ReportOutcome> {
  const t0 = performance.now();
  const warnings: string[] = [];
  // vega, vega-lite and resvg take half a second to load: only commands that render pay for it.
  const { renderFigures } = await import('./render.js');
  const { figures, files } = await renderFigures(sweepCharts(result), 'figures', warnings);
  files.push(
    { path: 'summary.csv', bytes: summaryCsv(records) },
    { path: 'sweep.json', bytes: `${JSON.stringify(result, null, 1)}\n` },
    // last: the page appears only once everything it links to is in place
    {
      path: 'report.html',
      bytes: reportHtml({
        result,
        figures,
        generatedAt: new Date().toISOString(),
        fluctlabVersion: FLUCTLAB_VERSION,
        arithmetic: records.map(arithmeticOf).find((a) => a !== null) ?? null,
      }),
    },
  );
  writeFolder(dir, files, ['figures']);
  return {
    html: reportPath(dir),
    figures: figures.map((f) => join(dir, 'figures', `${f.id}.svg`)),
    warnings,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Writes the report at the end of `fluctlab sweep`; returns the lines for the terminal (band, then the report's path last). */
export async function reportAfterSweep(
  dir: string,
  result: SweepResult,
  records: readonly RunRecord[],
): Promise<string> {
  const report = await writeReport(dir, result, records);
  return `${bandLine(result.aggregate)}\nreport: ${report.html}\n`;
}
