/**
 * Executing a `fluctlab reproduce` folder: its plan, its arms (one sweep folder each) and training them:
 *
 *   <out>/reproduce.json               the plan (what --resume continues), written first
 *   <out>/manifest.json, runs/, …      the main arm: a sweep folder (fluctlab sweep --resume and report work on it)
 *   <out>/equal-progress/lr<η>/        one sweep folder per equal-progress learning rate (with --equal-progress)
 *   <out>/mnist/                       the MNIST arm's sweep folder (with --with-mnist)
 *   <out>/reproduce.html               the paper's view; figures in figures-reproduce/
 *   <out>/reproduce-summary.json       its numbers: analyses, claims, equal progress, and what training cost
 *
 * Every arm runs on the same executor at once, so a pool of N workers stays
 * busy across arms. Once they have all finished, paperReport.ts writes reproduce.html and reproduce-summary.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withLegacyFields, type SweepConfig } from '../../contract/config.js';
import { validateConfig } from '../../contract/configure.js';
import { UsageError } from '../../contract/errors.js';
import type { ReproducePlan } from './paperStudy.js';
import type { Executor } from '../../sweep/executor.js';
import type { SweepEvents } from '../../sweep/runSweep.js';
import type { FuseMode } from '../../sweep/fusion.js';
import { summarizeRun } from '../../analysis/summary.js';
import { readJson, writeJsonAtomic } from '../../store/files.js';
import type { Reporter } from '../../node/progress.js';
import { createResultDir, manifestPath, readRunRecord, removeTempFiles } from '../../store/resultDir.js';
import { executeSweep, shardRuns, type SweepOutcome } from '../../store/sweepFolder.js';
import { loadDataset } from '../../node/loadData.js';

export const planPath = (dir: string) => join(dir, 'reproduce.json');

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
