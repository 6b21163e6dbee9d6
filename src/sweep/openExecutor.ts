/**
 * The one choice of executor in Node: a pool of worker threads when more than one run trains at a time, else this
 * thread (no pool to start, and a stack trace that points at the run). A task that must leave this thread free asks
 * for a worker even alone: an LR range test is one long synchronous loop, and on this thread Ctrl-C would be heard
 * only once it had ended.
 */
import type { SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import type { Executor } from './executor.js';
import { LocalExecutor } from './localExecutor.js';
import { PoolExecutor } from './nodePool.js';

/** Where a task may train: 'auto' (a pool only for more than one at a time) or 'worker' (a pool even for one). */
export type Placement = 'auto' | 'worker';

/** An executor for `parallel` tasks at a time; `load` gives a config's data set (loaded once in this thread). */
export function openExecutor(
  parallel: number,
  load: (config: SweepConfig) => Dataset,
  placement: Placement = 'auto',
): Executor {
  return parallel > 1 || placement === 'worker'
    ? new PoolExecutor(Math.max(1, parallel), load)
    : new LocalExecutor(load);
}
