/**
 * Executing and reporting a `fluctlab reproduce` folder:
 *
 *   <out>/reproduce.json               the plan (what --resume continues), written first
 *   <out>/manifest.json, runs/, …      the main arm: a sweep folder (fluctlab sweep --resume and report work on it)
 *   <out>/equal-progress/lr<η>/        one sweep folder per equal-progress learning rate (with --equal-progress)
 *   <out>/mnist/                       the MNIST arm's sweep folder (with --with-mnist)
 *   <out>/reproduce.html               the paper's view; figures in figures-reproduce/
 *   <out>/reproduce-summary.json       its numbers: analyses, claims, equal progress, and what training cost
 *
 * Every arm runs on the same executor at once, so a pool of N workers stays
 * busy across arms.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runId, withLegacyFields, type SweepConfig } from '../../contract/config.js';
import { validateConfig } from '../../contract/configure.js';
import { UsageError } from '../../contract/errors.js';
import { analyseStudy, type StudyAnalysis } from './paperAnalysis.js';
import { equalProgress, paperClaims, type EqualProgress, type PaperClaims } from './paperClaims.js';
import type { ReproducePlan } from './paperStudy.js';
import type { RunRecord } from '../../contract/record.js';
import { parseShapesSpec, isShapesSpec } from '../../contract/shapesSpec.js';
import { FLUCTLAB_VERSION } from '../../contract/version.js';
import type { Executor } from '../../sweep/executor.js';
import type { SweepEvents } from '../../sweep/runSweep.js';
import type { FuseMode } from '../../sweep/fusion.js';
import { summarizeRun } from '../../analysis/summary.js';
import { paperCharts, progressChart, sideBySideChart } from './paperCharts.js';
import { paperReportHtml, PAPER_FIGURES_DIR } from './paperHtml.js';
import { reconstructionGridSvg, type GridRow } from '../../report/reconstructionGrid.js';
import { lrLabel } from '../../report/format.js';
import { readJson, writeJsonAtomic } from '../../store/files.js';
import { writeFolder } from '../../store/folderWriter.js';
import { pngDataUrl } from '../../report/png.js';
import type { Reporter } from '../../node/progress.js';
import { createResultDir, manifestPath, readRunRecord, removeTempFiles } from '../../store/resultDir.js';
import { readSweepFolder } from '../../store/readSweep.js';
import { executeSweep, shardRuns, type SweepOutcome } from '../../store/sweepFolder.js';
import { loadDataset } from '../../node/loadData.js';

export const planPath = (dir: string) => join(dir, 'reproduce.json');
const PAPER_REPORT = 'reproduce.html';
const PAPER_SUMMARY = 'reproduce-summary.json';
export const paperReportPath = (dir: string) => join(dir, PAPER_REPORT);
export const paperSummaryPath = (dir: string) => join(dir, PAPER_SUMMARY);

/** One sweep folder of the study. */
export interface Arm {
  /** prefix of its run ids in progress output ('' for the main arm) */
  label: string;
  dir: string;
  config: SweepConfig;
}

/** The folders the plan trains, main arm first. */
export function armsOf(root: string, plan: ReproducePlan): Arm[] {
  const arms: Arm[] = [{ label: '', dir: root, config: plan.main }];
  for (const a of plan.equalProgress?.arms ?? [])
    if (a.dir) arms.push({ label: 'equal-progress/', dir: join(root, a.dir), config: a.config });
  if (plan.mnist?.run) arms.push({ label: 'mnist/', dir: join(root, plan.mnist.dir), config: plan.mnist.run });
  return arms;
}

/** Reads a folder's plan; a folder without one is not a reproduction. */
export function readPlan(dir: string): ReproducePlan {
  if (!existsSync(planPath(dir)))
    throw new UsageError(
      `${dir} is not a fluctlab reproduce folder (no reproduce.json): pass a folder written by fluctlab reproduce`,
    );
  const p = readJson<ReproducePlan | null>(planPath(dir), 'a reproduce plan');
  if (!p || typeof p !== 'object' || p.kind !== 'fluctlab.reproduce' || p.schemaVersion !== 1)
    throw new UsageError(`${planPath(dir)} is not a fluctlab reproduce plan of schema 1: start a new study with --out`);
  const problem = planProblem(p);
  if (problem) throw new UsageError(`${planPath(dir)} is damaged or edited (${problem}): start a new study with --out`);
  const norm = (c: SweepConfig) => validateConfig(withLegacyFields(c));
  return {
    ...p,
    main: norm(p.main),
    equalProgress: p.equalProgress && {
      ...p.equalProgress,
      arms: p.equalProgress.arms.map((a) => ({ ...a, config: norm(a.config) })),
    },
    mnist: p.mnist && { ...p.mnist, run: p.mnist.run && norm(p.mnist.run) },
  };
}

/** The first way a parsed plan differs from what reproduce reads, or null. */
function planProblem(p: ReproducePlan): string | null {
  const configProblem = (c: unknown): string | null => {
    try {
      validateConfig(withLegacyFields(c as SweepConfig));
      return null;
    } catch (e) {
      return (e as Error).message.replace(/:.*$/, '');
    }
  };
  if (!Number.isInteger(p.windows) || p.windows < 1) return 'windows is not a whole number ≥ 1';
  const main = configProblem(p.main);
  if (main) return `main config: ${main}`;
  const ep = p.equalProgress;
  if (ep !== null) {
    if (
      !ep ||
      typeof ep !== 'object' ||
      !Array.isArray(ep.arms) ||
      !(ep.targetLoss === null || typeof ep.targetLoss === 'number')
    )
      return 'equalProgress is not a list of arms';
    for (const a of ep.arms) {
      if (!a || typeof a !== 'object' || typeof a.lr !== 'number' || !(a.dir === null || typeof a.dir === 'string'))
        return 'an equal-progress arm is damaged';
      const c = configProblem(a.config);
      if (c) return `equal-progress config: ${c}`;
    }
  }
  const m = p.mnist;
  if (m !== null) {
    if (!m || typeof m !== 'object' || typeof m.dir !== 'string') return 'mnist is not a folder and config';
    if (m.run !== null) {
      const c = configProblem(m.run);
      if (c) return `mnist config: ${c}`;
    }
  }
  return null;
}

/** Creates every arm's folder that does not exist yet (plan and main manifest first); tidies the others. */
export function prepareArms(root: string, plan: ReproducePlan, fresh: boolean): void {
  if (fresh) createResultDir(root, plan.main, null);
  writeJsonAtomic(planPath(root), plan);
  for (const arm of armsOf(root, plan)) {
    if (!existsSync(manifestPath(arm.dir))) createResultDir(arm.dir, arm.config, null);
    else removeTempFiles(arm.dir);
  }
}

/** Runs to train across arms: [to do, already finished]. */
export function pendingRuns(arms: Arm[]): [number, number] {
  let todo = 0;
  let done = 0;
  for (const a of arms) for (const s of shardRuns(a.config, null)) readRunRecord(a.dir, s) ? done++ : todo++;
  return [todo, done];
}

/** The events of one arm among several: run ids get the arm's label; start and done belong to the whole study. */
function armEvents(inner: Reporter, label: string): SweepEvents {
  return {
    onRunStarted: (spec) => inner.runStarted(label + spec.id),
    onProgress: (p) => inner.progress({ ...p, id: label + p.id }),
    onRunFinished: (r) => inner.runFinished({ ...summarizeRun(r), id: label + r.id }),
  };
}

/** Trains every arm's missing runs on one executor, all arms at once. */
export async function executeArms(
  arms: Arm[],
  executor: Executor,
  reporter: Reporter,
  parallel: number,
  fuse: FuseMode = 'auto',
): Promise<SweepOutcome[]> {
  const [todo, done] = pendingRuns(arms);
  reporter.start(todo, done);
  try {
    return await Promise.all(
      arms.map((a) =>
        executeSweep(a.dir, a.config, null, executor, parallel, armEvents(reporter, a.label), {
          fuse,
          dataShape: loadDataset(a.config),
        }),
      ),
    );
  } finally {
    reporter.done();
  }
}

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
