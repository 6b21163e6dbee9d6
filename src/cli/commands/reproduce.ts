/**
 * `fluctlab reproduce`: the paper's eight-shape autoencoder study at learning
 * rates 0.01, 0.001 and 0.0001 on the worker pool, then reproduce.html with the
 * paper's view and which of its claims the numbers support. `--equal-progress`
 * adds the arm that tells "worse" from "slower", `--with-mnist` (or `--mnist
 * <sweep folder>`) the same analysis on MNIST classification, `--quick` a
 * version that runs in seconds. Every input is checked before anything is written.
 */
import { checkArithmetic } from '../../engine/kernels/arithmetic.js';
import { isAbsolute, relative, resolve } from 'node:path';
import type { SweepConfig } from '../../contract/config.js';
import { checkFitsData } from '../../engine/training/modelPlan.js';
import { UsageError } from '../../contract/errors.js';
import { trainCount } from '../../engine/data/dataset.js';
import {
  DEFAULT_WINDOWS,
  equalProgressArms,
  mainConfig,
  mnistConfig,
  PAPER_DEFAULTS,
  QUICK_DEFAULTS,
  QUICK_WINDOWS,
  type ReproducePlan,
} from '../../studies/paper/paperStudy.js';
import type { Executor } from '../../sweep/executor.js';
import { openExecutor } from '../../sweep/openExecutor.js';
import { lrLabel } from '../../report/format.js';
import {
  claimsParagraph,
  equalProgressParagraph,
  etaFreeParagraph,
  mnistParagraph,
  pm,
  pmAccuracy,
  pmUnits,
} from '../../studies/paper/paperText.js';
import { NONNEGATIVE } from '../../report/format.js';
import { intFlag, noPositionals, parseFlags, type Flags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { readSetting } from '../../contract/configure.js';
import { SETTINGS } from '../../contract/settings.js';
import { withInterrupt } from '../interrupt.js';
import { loadDataset } from '../../node/loadData.js';
import { readSweepFolder } from '../../store/readSweep.js';
import { reportAfterSweep } from '../../store/reportFolder.js';
import { armsOf, executeArms, pendingRuns, prepareArms, readPlan } from '../../studies/paper/reproduce.js';
import { costHistory, summarise, writePaperReport, type PaperSummary } from '../../studies/paper/paperReport.js';
import { parseWorkers } from '../../store/shard.js';
import { renderTable } from '../../report/table.js';
import { chooseReporter, defaultOutDir } from './sweep.js';

/** Batches per epoch of a config on its data set (also checks the batch size against it). */
function stepsPerEpoch(config: SweepConfig): number {
  const data = loadDataset(config);
  checkFitsData(config, data);
  const n = trainCount(data);
  return Math.floor(Math.min(config.trainLimit ?? n, n) / config.batch);
}

/** The MNIST arm of the plan from the flags (null when none was asked for). */
function mnistArm(flags: Flags, root: string, main: SweepConfig): ReproducePlan['mnist'] {
  if (flags.text('mnist') !== undefined && flags.on('with-mnist'))
    throw new UsageError('--mnist <dir> reads an existing MNIST sweep and --with-mnist trains one: use one of them');
  if (flags.text('mnist-epochs') !== undefined && !flags.on('with-mnist'))
    throw new UsageError('--mnist-epochs sets the epochs of the MNIST arm: add --with-mnist');
  if (flags.text('mnist') !== undefined) {
    const folder = readSweepFolder(flags.text('mnist')!);
    if (folder.records.some((r) => r.task !== 'classification'))
      throw new UsageError(
        `${flags.text('mnist')} is not a classification sweep: pass a folder written by fluctlab sweep on MNIST`,
      );
    if (new Set(folder.records.map((r) => r.lr)).size < 2)
      throw new UsageError(
        `${flags.text('mnist')} has fewer than two learning rates: the claims compare the largest with the smallest`,
      );
    const mnist = flags.text('mnist')!;
    const abs = resolve(mnist);
    return { dir: isAbsolute(mnist) ? abs : relative(resolve(root), abs), run: null };
  }
  if (!flags.on('with-mnist')) return null;
  const run = mnistConfig(main, flags.on('quick'));
  const epochs =
    flags.text('mnist-epochs') !== undefined ? intFlag(flags.text('mnist-epochs')!, 'mnist-epochs', '2') : run.epochs;
  const config = { ...run, epochs };
  stepsPerEpoch(config);
  return { dir: 'mnist', run: config };
}

/** A new plan from the flags, fully validated (data loaded, folders checked) before anything is written. */
function newPlan(flags: Flags, root: string): ReproducePlan {
  const quick = flags.on('quick');
  const base = flags.config(quick ? QUICK_DEFAULTS : PAPER_DEFAULTS);
  if (base.lrs.length < 2)
    throw new UsageError('reproduce compares learning rates: pass at least two with --lr (default 0.01,0.001,0.0001)');
  const given = flags.text('windows');
  const read =
    given === undefined ? (quick ? QUICK_WINDOWS : DEFAULT_WINDOWS) : readSetting(SETTINGS.windows, given, 'cli');
  const windows = read === 'epoch' ? base.epochs : read;
  const steps = stepsPerEpoch(base);
  const main = mainConfig(base, steps, windows);
  const target = targetLoss(flags);
  if (target !== null && !flags.on('equal-progress'))
    throw new UsageError('--target-loss belongs to the equal-progress arm: add --equal-progress');
  return {
    kind: 'fluctlab.reproduce',
    schemaVersion: 1,
    windows,
    main,
    equalProgress: flags.on('equal-progress')
      ? { targetLoss: target, arms: equalProgressArms(main, steps, windows) }
      : null,
    mnist: mnistArm(flags, root, main),
    createdAt: new Date().toISOString(),
  };
}

/** --target-loss: a positive loss, or null when not given. */
function targetLoss(flags: Flags): number | null {
  const text = flags.text('target-loss');
  if (text === undefined) return null;
  const v = Number(text);
  if (text.trim() === '' || !(Number.isFinite(v) && v > 0))
    throw new UsageError(`--target-loss "${text}" must be a positive loss: e.g. --target-loss 0.02`);
  return v;
}

/** The plan of a folder being resumed, with the extension arms asked for now added to it. */
function resumedPlan(flags: Flags, root: string): ReproducePlan {
  if (flags.text('out') !== undefined)
    throw new UsageError('--resume and --out both name a folder: use only --resume <dir>');
  if (flags.on('quick')) throw new UsageError('--quick starts a new study: drop it to resume');
  if (flags.text('windows') !== undefined)
    throw new UsageError('--windows cannot change on resume: drop it, or start a new study with --out');
  const plan = readPlan(root);
  if (flags.hasSettings() && JSON.stringify(flags.config(plan.main)) !== JSON.stringify(plan.main)) {
    throw new UsageError(
      `the flags given differ from the study in ${root}: drop them to resume it as it was, or start a new study with --out`,
    );
  }
  const steps = stepsPerEpoch(plan.main);
  if (flags.on('equal-progress') && !plan.equalProgress) {
    plan.equalProgress = { targetLoss: targetLoss(flags), arms: equalProgressArms(plan.main, steps, plan.windows) };
  } else if (flags.text('target-loss') !== undefined)
    throw new UsageError('--target-loss cannot change on resume: start a new study with --out');
  if ((flags.on('with-mnist') || flags.text('mnist') !== undefined) && !plan.mnist)
    plan.mnist = mnistArm(flags, root, plan.main);
  else if (flags.on('with-mnist') || flags.text('mnist') !== undefined)
    throw new UsageError(`${root} already has an MNIST arm: drop --with-mnist / --mnist`);
  return plan;
}

/** The terminal table of the main arm. */
function summaryTable(s: PaperSummary): string {
  const cls = s.main.task === 'classification';
  const header = [
    'lr',
    'runs',
    ...(cls ? ['accuracy'] : ['test MSE', 'PSNR']),
    'particip.',
    'active',
    'dead',
    'S',
    'mean f',
    'Δ/η',
    '‖Δ‖/‖W‖',
  ];
  const rows = s.main.lrs.map((l) => [
    lrLabel(l.lr),
    `${l.ok}/${l.runs}`,
    ...(cls ? [pmAccuracy(l.accuracy)] : [pm(l.mse, 3, NONNEGATIVE), pm(l.psnr, 4)]),
    pmUnits(l.participating, l.hiddenUnits),
    pmUnits(l.active, l.hiddenUnits),
    pmUnits(l.dead, l.hiddenUnits),
    pm(l.spreadOfSpread, 3, NONNEGATIVE),
    pm(l.meanFluctuation, 3, NONNEGATIVE),
    pm(l.effectiveRms, 3, NONNEGATIVE),
    pm(l.updateRatio, 3, NONNEGATIVE),
  ]);
  return renderTable(header, rows);
}

/** Runs the reproduce command; returns the exit code. */
export async function reproduceCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, commandNamed('reproduce')!);
  noPositionals(flags, 'reproduce');
  const workers = parseWorkers(flags.text('workers'));
  const fuse =
    flags.text('fuse') === undefined ? SETTINGS.fuse.default : readSetting(SETTINGS.fuse, flags.text('fuse')!, 'cli');
  const resuming = flags.text('resume') !== undefined;
  const root = flags.text('resume') ?? flags.text('out') ?? defaultOutDir().replace(/^runs\//, 'runs/reproduce-');
  const plan = resuming ? resumedPlan(flags, root) : newPlan(flags, root);
  checkArithmetic(plan.main, 'cli'); // every arm shares the main sweep's arithmetic; before anything is written
  const arms = armsOf(root, plan);
  prepareArms(root, plan, !resuming);
  const [todo] = pendingRuns(arms);
  const parallel = Math.max(1, Math.min(workers, todo));
  const executor: Executor = openExecutor(parallel, loadDataset);
  const reporter = chooseReporter(flags.on('quiet'), false);
  const t0 = performance.now();
  return withInterrupt(executor, 'reproduce', root, async () => {
    const outcomes = await executeArms(arms, executor, reporter, parallel, fuse);
    const cost = {
      wallSeconds: (performance.now() - t0) / 1000,
      workers: parallel,
      runsTrained: todo,
      finishedAt: new Date().toISOString(),
    };
    const sweepLines = await reportAfterSweep(root, outcomes[0].result, outcomes[0].records);
    const summary = summarise(root, plan, costHistory(root, cost));
    const report = await writePaperReport(root, summary);
    if (process.env.FLUCTLAB_DEBUG)
      for (const w of report.warnings) process.stderr.write(`fluctlab reproduce: chart ${w}\n`);
    if (!flags.on('quiet')) {
      const parts = [`\n${summaryTable(summary)}\n`, claimsParagraph(summary.main, summary.claims)];
      const etaFree = etaFreeParagraph(summary.main, summary.claims);
      if (etaFree) parts.push(etaFree);
      if (summary.equalProgress)
        parts.push(equalProgressParagraph(summary.equalProgress.ep, summary.equalProgress.analysis.task));
      if (summary.mnist) parts.push(mnistParagraph(summary.claims, summary.mnist.claims, summary.mnist.analysis));
      parts.push(
        `\n${todo} runs trained in ${cost.wallSeconds.toFixed(0)} s on ${parallel} worker${parallel > 1 ? 's' : ''}\n${sweepLines}paper view: ${report.html}\n`,
      );
      process.stdout.write(parts.join('\n\n'));
    }
    return outcomes.every((o) => o.allSucceeded) ? 0 : 1;
  });
}
