/**
 * A sweep shown as it trains, the same for the page and `<fluct-sweep>`: the browser sweep (sweep.ts) feeding a
 * live run table and the live loss and fluctuation charts.
 *
 *     const outcome = await liveSweep(config, { table, loss, fluct }, { signal, onStatus: (m) => (line.textContent = m) });
 */
import { stepsPerRun, sweepRuns, type SweepConfig } from '../contract/config.js';
import { trainCount } from '../engine/data/dataset.js';
import type { Environment } from '../contract/record.js';
import type { SweepOutcome } from '../sweep/runSweep.js';
import type { FuseMode } from '../sweep/fusion.js';
import { LiveCharts } from './liveCharts.js';
import type { PoolPlan } from '../sweep/poolPlan.js';
import { planWebPool } from '../sweep/openWebExecutor.js';
import { RunTable } from './runTable.js';
import { sweep } from './sweep.js';
import { loadingMessage, loadSiteDataset } from './webData.js';

/** Where a live sweep draws. */
export interface LiveSweepView {
  table: HTMLTableElement;
  loss: HTMLElement;
  fluct: HTMLElement;
}

/** Options of a live sweep. */
export interface LiveSweepOptions {
  signal?: AbortSignal;
  /** WASM threads per worker (undefined: the plan's choice) */
  threads?: number;
  /** URL of the hosted dist/web folder (default: next to this module) */
  assets?: string;
  /** fused groups of runs of one seed (docs/scaling.md; default auto) */
  fuse?: FuseMode;
  /** recording windows per run (default 20; 'epoch': one per epoch), where `config.windowSteps` is null */
  windows?: number | 'epoch';
  onStatus(message: string): void;
  onEnvironment?(environment: Environment, plan: PoolPlan): void;
}

/**
 * Loads the data, trains the sweep in Web Workers and fills the view (a run table and the live loss and fluctuation
 * charts) as progress arrives: the page's and the element's sweep, for a page of your own.
 *
 *     const outcome = await liveSweep(validateConfig({ ...DEFAULTS, lrs: [0.1, 0.01] }), { table, loss, fluct }, { assets: '/fluctlab/', onStatus: (m) => (line.textContent = m) });
 */
export async function liveSweep(
  config: SweepConfig,
  view: LiveSweepView,
  options: LiveSweepOptions,
): Promise<SweepOutcome> {
  const runs = sweepRuns(config).length;
  const plan = planWebPool(runs, { threads: options.threads });
  options.onStatus(loadingMessage(config.data));
  const data = await loadSiteDataset(config.data, options.assets);
  const table = new RunTable(view.table, config);
  const charts = await LiveCharts.create(view.loss, view.fluct, config.lrs, stepsPerRun(config, trainCount(data)));
  options.onStatus(
    `training ${runs} run${runs === 1 ? '' : 's'} on ${plan.workers} worker${plan.workers === 1 ? '' : 's'}…`,
  );
  const outcome = await sweep(config, {
    workers: plan.workers,
    threads: plan.threads,
    assets: options.assets,
    signal: options.signal,
    fuse: options.fuse,
    windows: options.windows,
    onEnvironment: options.onEnvironment,
    onRunStarted: (s) => table.started(s.id),
    onProgress: (p) => {
      table.progress(p);
      charts.add(p);
    },
    onRunFinished: (r) => table.finished(r),
  });
  charts.flush();
  return outcome;
}
