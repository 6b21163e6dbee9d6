/**
 * The one choice of executor in Node: a pool of worker threads when more than one run trains at a time, else this
 * thread (no pool to start, and a stack trace that points at the run).
 */
import type { SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import type { Executor } from './executor.js';
import { LocalExecutor } from './localExecutor.js';
import { PoolExecutor } from './nodePool.js';

/** An executor for `parallel` runs at a time; `load` gives a config's data set (loaded once in this thread). */
export function openExecutor(parallel: number, load: (config: SweepConfig) => Dataset): Executor {
  return parallel > 1 ? new PoolExecutor(parallel, load) : new LocalExecutor(load);
}
