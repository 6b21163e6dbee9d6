/**
 * The one choice of executor in the browser (openExecutor.ts is Node's): always a pool of Web Workers, since training
 * on the page's own thread would freeze the page, sized by planPool from this machine's cores and whether the page is
 * cross-origin isolated. The page, `<fluct-sweep>` and `sweep` from fluctlab/web all open their workers here.
 *
 *     const executor = openWebExecutor(3, (c) => loadSiteDataset(c.data), { threads: 2 }); // executor.plan: { workers: …, threads: 2 }
 */
import { env } from '../contract/host.js';
import type { SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import { planPool, type PoolPlan } from './poolPlan.js';
import { WebPoolExecutor } from './webPool.js';

/** How many workers and threads the caller wants, and where the site's files are. */
export interface WebExecutorOptions {
  /** Web Workers at most (default: one per run, at most the cores) */
  workers?: number;
  /** WASM threads per worker (default: what the cores leave; above 1 needs a cross-origin-isolated page) */
  threads?: number;
  /** URL of the hosted dist/web folder (worker, .wasm, MNIST); default: next to this module */
  assets?: string;
}

/** The workers and threads for `runs` runs on this page: planPool on this machine, at most `workers` workers. */
export function planWebPool(runs: number, options: Omit<WebExecutorOptions, 'assets'> = {}): PoolPlan {
  const auto = planPool(runs, env.hardwareConcurrency, env.crossOriginIsolated, options.threads);
  return options.workers ? { ...auto, workers: Math.max(1, Math.min(runs, options.workers)) } : auto;
}

/** A pool of Web Workers for `runs` runs (its plan: `executor.plan`); `load` gives a config's data set, loaded once on the page. */
export function openWebExecutor(
  runs: number,
  load: (config: SweepConfig) => Promise<Dataset>,
  options: WebExecutorOptions = {},
): WebPoolExecutor {
  return new WebPoolExecutor(planWebPool(runs, options), load, options.assets);
}
