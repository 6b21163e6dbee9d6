/**
 * Executors run tasks (messages.ts): training runs, one run or one fused group of runs (fusion.ts) per call, and LR
 * range tests; in this thread (`LocalExecutor`) or on a worker pool (`PoolExecutor` in Node, `WebPoolExecutor` in the
 * browser). The sweep driver and the lr-find command do not know which.
 */
import type { RunSpec, SweepConfig } from '../contract/config.js';
import type { RunProgress, RunWindow } from '../engine/training/runProgress.js';
import type { LrFindResult } from '../engine/training/lrFind.js';
import type { LrFindOptions, RangePoint } from '../engine/training/rangeTest.js';
import type { RunRecord } from '../contract/record.js';
import { isRunWindow, type TaskEvent, type TaskKind, type TaskRequest, type TaskResult } from './messages.js';

/** Runs training runs and LR range tests and reports their progress. */
export interface Executor {
  /**
   * Trains runs of one seed as a fused group (one run: alone); resolves with their records in `specs` order (status
   * 'failed' when training threw). Rejects when the worker died. With `onWindow`, each window is sent as it closes.
   */
  run(
    config: SweepConfig,
    specs: RunSpec[],
    onProgress: (p: RunProgress) => void,
    onWindow?: (w: RunWindow) => void,
  ): Promise<RunRecord[]>;
  /** Runs an LR range test on `config`'s data and model; `onPoint` sees each step of the ramp. Rejects when it threw or its worker died. */
  lrFind(
    config: SweepConfig,
    options: LrFindOptions,
    seed: number,
    onPoint: (p: RangePoint) => void,
  ): Promise<LrFindResult>;
  /** Stops every running task (their promises reject with a CancelledError). */
  cancel(): void;
  close(): Promise<void>;
}

/** What every executor shares: a run and an LR range test are tasks (messages.ts), each sent through `exec`. */
export abstract class TaskExecutor implements Executor {
  run(
    config: SweepConfig,
    specs: RunSpec[],
    onProgress: (p: RunProgress) => void,
    onWindow?: (w: RunWindow) => void,
  ): Promise<RunRecord[]> {
    return this.exec({ kind: 'train', config, specs, ...(onWindow ? { windows: true } : {}) }, (e) =>
      isRunWindow(e) ? onWindow?.(e) : onProgress(e),
    );
  }

  lrFind(
    config: SweepConfig,
    options: LrFindOptions,
    seed: number,
    onPoint: (p: RangePoint) => void,
  ): Promise<LrFindResult> {
    return this.exec({ kind: 'lr-find', config, options, seed }, onPoint);
  }

  abstract cancel(): void;
  abstract close(): Promise<void>;

  /** Runs one task, streaming its events to `onEvent`. */
  protected abstract exec<K extends TaskKind>(
    request: TaskRequest<K>,
    onEvent: (e: TaskEvent<K>) => void,
  ): Promise<TaskResult<K>>;
}
