/**
 * Writes a sweep's report into its result folder:
 *
 *   report.html          one self-contained page (inline SVG, no script, no network)
 *   figures/<id>.svg     each chart as SVG …
 *   figures/<id>.png     … and as PNG (2× scale)
 *   summary.csv          one row per run and layer
 *   sweep.json           the SweepResult with its aggregate
 *
 * Everything is written into a staging folder first and renamed into place
 * only when all of it succeeded, so a failure leaves the previous report whole.
 *
 *     const html = await writeReport(dir, outcome.result, outcome.records);
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../contract/record.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import { FLUCTLAB_VERSION } from '../contract/version.js';
import { sweepCharts } from '../report/charts.js';
import { summaryCsv } from '../report/csv.js';
import { reportHtml, type RenderedFigure } from '../report/html.js';
import { bandLine } from '../report/table.js';

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

/** Renders every chart and writes report.html, figures/, summary.csv and sweep.json into `dir`, all or nothing. */
export async function writeReport(dir: string, result: SweepResult, records: readonly RunRecord[]): Promise<ReportOutcome> {
  const t0 = performance.now();
  const stage = join(dir, `.report-tmp-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'figures'), { recursive: true });
  const warnings: string[] = [];
  // vega, vega-lite and resvg take half a second to load: only commands that render pay for it.
  const { renderSvg, svgToPng } = await import('./render.js');
  try {
    const figures: RenderedFigure[] = [];
    for (const chart of sweepCharts(result)) {
      const svg = await renderSvg(chart.spec, warnings);
      writeFileSync(join(stage, 'figures', `${chart.id}.svg`), svg);
      writeFileSync(join(stage, 'figures', `${chart.id}.png`), svgToPng(svg));
      figures.push({ id: chart.id, title: chart.title, caption: chart.caption, svg });
    }
    writeFileSync(join(stage, 'report.html'), reportHtml({ result, figures, generatedAt: new Date().toISOString(), fluctlabVersion: FLUCTLAB_VERSION }));
    writeFileSync(join(stage, 'summary.csv'), summaryCsv(records));
    writeFileSync(join(stage, 'sweep.json'), `${JSON.stringify(result, null, 1)}\n`);
    swapIn(dir, stage);
    return { html: reportPath(dir), figures: figures.map((f) => join(dir, 'figures', `${f.id}.svg`)), warnings, seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Moves the staged files over the folder's: figures/ as a whole (the old one set aside, then removed), then each file. */
function swapIn(dir: string, stage: string): void {
  const figures = join(dir, 'figures');
  const old = join(dir, `.figures-old-${process.pid}`);
  if (existsSync(figures)) renameSync(figures, old);
  renameSync(join(stage, 'figures'), figures);
  rmSync(old, { recursive: true, force: true });
  for (const f of ['summary.csv', 'sweep.json', 'report.html']) renameSync(join(stage, f), join(dir, f));
}

/** Writes the report at the end of `fluctlab sweep`; returns the lines for the terminal (band, then the report's path last). */
export async function reportAfterSweep(dir: string, result: SweepResult, records: readonly RunRecord[]): Promise<string> {
  const report = await writeReport(dir, result, records);
  return `${bandLine(result.aggregate)}\nreport: ${report.html}\n`;
}
