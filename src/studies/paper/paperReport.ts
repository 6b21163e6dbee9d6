/**
 * Reporting a `fluctlab reproduce` folder whose runs have all finished: its numbers (`summarise`: the analyses, the
 * paper's claims, equal progress, MNIST, and what training cost over every invocation) and the paper's view, written
 * all or nothing by `writePaperReport`:
 *
 *   <out>/reproduce.html               the paper's view; figures in figures-reproduce/
 *   <out>/reproduce-summary.json       its numbers
 *
 *     await writePaperReport(root, summarise(root, plan, costHistory(root, cost)));
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runId, type SweepConfig } from '../../contract/config.js';
import { UsageError } from '../../contract/errors.js';
import { analyseStudy, type StudyAnalysis } from './paperAnalysis.js';
import { equalProgress, paperClaims, type EqualProgress, type PaperClaims } from './paperClaims.js';
import type { ReproducePlan } from './paperStudy.js';
import type { RunRecord } from '../../contract/record.js';
import { parseShapesSpec, isShapesSpec } from '../../contract/shapesSpec.js';
import { FLUCTLAB_VERSION } from '../../contract/version.js';
import { paperCharts } from './paperCharts.js';
import { progressChart } from './paperLossCharts.js';
import { sideBySideChart } from './paperShapesVsMnistChart.js';
import { paperReportHtml, PAPER_FIGURES_DIR } from './paperHtml.js';
import { reconstructionGridSvg, type GridRow } from '../../report/reconstructionGrid.js';
import { lrLabel } from '../../report/format.js';
import { writeFolder } from '../../store/folderWriter.js';
import { pngDataUrl } from '../../report/png.js';
import { readRunRecord } from '../../store/resultDir.js';
import { readSweepFolder } from '../../store/readSweep.js';
import { shardRuns } from '../../store/sweepFolder.js';

const PAPER_REPORT = 'reproduce.html';
const PAPER_SUMMARY = 'reproduce-summary.json';
export const paperReportPath = (dir: string) => join(dir, PAPER_REPORT);
export const paperSummaryPath = (dir: string) => join(dir, PAPER_SUMMARY);

/** What one invocation of reproduce spent on training. */
export interface TrainingCost {
  wallSeconds: number;
  workers: number;
  runsTrained: number;
  finishedAt: string;
}

/** The cost entries of the folder's previous summary (none when it has none or it cannot be read), plus `now` if it trained anything. */
export function costHistory(root: string, now: TrainingCost): TrainingCost[] {
  let before: TrainingCost[] = [];
  try {
    const old = JSON.parse(readFileSync(paperSummaryPath(root), 'utf8')) as Partial<PaperSummary>;
    if (Array.isArray(old.cost)) before = old.cost;
  } catch {
    // no previous summary: this is the first report of the folder
  }
  return now.runsTrained > 0 ? [...before, now] : before;
}

/** The numbers of a finished study. */
export interface PaperSummary {
  kind: 'fluctlab.reproduce-summary';
  plan: ReproducePlan;
  main: StudyAnalysis;
  claims: PaperClaims;
  equalProgress: { analysis: StudyAnalysis; ep: EqualProgress } | null;
  mnist: { analysis: StudyAnalysis; claims: PaperClaims; dir: string } | null;
  /** every invocation that trained runs in this folder, oldest first: wall seconds (training, before the report), workers, runs */
  cost: TrainingCost[];
}

/** Reads every record of an arm folder (all finished: executeArms has run). */
function recordsOf(dir: string, config: SweepConfig): RunRecord[] {
  return shardRuns(config, null).map((s) => {
    const r = readRunRecord(dir, s);
    if (!r) throw new UsageError(`${dir} lacks run ${runId(s)}: finish it with fluctlab reproduce --resume`);
    return r;
  });
}

/** Analyses a study folder whose runs have all finished. */
export function summarise(root: string, plan: ReproducePlan, cost: TrainingCost[]): PaperSummary {
  const mainRecords = recordsOf(root, plan.main);
  const main = analyseStudy(mainRecords, plan.main.tau);
  let ep: PaperSummary['equalProgress'] = null;
  if (plan.equalProgress) {
    const records = plan.equalProgress.arms.flatMap((a) =>
      a.dir ? recordsOf(join(root, a.dir), a.config) : mainRecords.filter((r) => r.lr === a.lr),
    );
    const analysis = analyseStudy(records, plan.main.tau);
    ep = { analysis, ep: equalProgress(analysis.lrs, plan.equalProgress.targetLoss) };
  }
  let mnist: PaperSummary['mnist'] = null;
  if (plan.mnist) {
    const dir = resolve(root, plan.mnist.dir);
    const records = plan.mnist.run ? recordsOf(dir, plan.mnist.run) : readSweepFolder(dir).records;
    const analysis = analyseStudy(records, plan.main.tau);
    mnist = { analysis, claims: paperClaims(analysis), dir };
  }
  return { kind: 'fluctlab.reproduce-summary', plan, main, claims: paperClaims(main), equalProgress: ep, mnist, cost };
}

/** Column names of the reconstruction grid: the shape names for shapes data, else the class labels. */
function classNames(data: string, labels: number[]): string[] {
  if (isShapesSpec(data)) {
    const shapes = parseShapesSpec(data).shapes;
    return labels.map((l) => shapes[l] ?? String(l));
  }
  return labels.map((l) => `class ${l}`);
}

/** The reconstruction grid of a study (null when its runs kept no reconstructions). */
export function gridOf(s: StudyAnalysis, data: string): string | null {
  const withImages = s.lrs.filter((l) => l.reconstructions);
  if (withImages.length === 0) return null;
  const first = withImages[0].reconstructions!;
  const rows: GridRow[] = [
    { label: 'original', images: first.original },
    ...withImages.map((l) => ({ label: `η = ${lrLabel(l.lr)}`, images: l.reconstructions!.reconstructed })),
  ];
  // a colour autoencoder (CIFAR-10, npy with 3 channels) shows in colour; other channel counts as their first channel
  const channels = first.channels ?? 1;
  const shown =
    channels === 1 || channels === 3
      ? rows
      : rows.map((r) => ({ ...r, images: r.images.map((img) => img.filter((_, i) => i % channels === 0)) }));
  return reconstructionGridSvg(
    shown,
    first.rows,
    first.cols,
    pngDataUrl,
    classNames(data, first.labels),
    3,
    channels === 3 ? 3 : 1,
  );
}

/** Renders the figures and writes reproduce.html, figures-reproduce/ (replaced as a whole) and reproduce-summary.json, all or nothing. */
export async function writePaperReport(
  root: string,
  summary: PaperSummary,
): Promise<{ html: string; warnings: string[] }> {
  const { renderFigures, svgToPng } = await import('../../store/render.js');
  const charts = [...paperCharts(summary.main)];
  if (summary.equalProgress) charts.push(progressChart(summary.equalProgress.analysis));
  if (summary.mnist) charts.push(sideBySideChart(summary.main, summary.mnist.analysis));
  const warnings: string[] = [];
  const { figures, files } = await renderFigures(charts, PAPER_FIGURES_DIR, warnings);
  const grid = gridOf(summary.main, summary.plan.main.data);
  if (grid)
    files.push(
      { path: `${PAPER_FIGURES_DIR}/paper-reconstructions.svg`, bytes: grid },
      { path: `${PAPER_FIGURES_DIR}/paper-reconstructions.png`, bytes: svgToPng(grid, 1) },
    );
  const html = paperReportHtml({
    plan: summary.plan,
    main: summary.main,
    claims: summary.claims,
    equalProgress: summary.equalProgress,
    mnist: summary.mnist,
    figures,
    grid,
    generatedAt: new Date().toISOString(),
    fluctlabVersion: FLUCTLAB_VERSION,
  });
  files.push(
    { path: PAPER_SUMMARY, bytes: `${JSON.stringify(summary, null, 1)}\n` },
    { path: PAPER_REPORT, bytes: html },
  );
  writeFolder(root, files, [PAPER_FIGURES_DIR]);
  return { html: paperReportPath(root), warnings };
}
