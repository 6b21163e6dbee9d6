/**
 * Executors train runs, one run or one fused group of runs (pool/fusion.ts) per call: in this process
 * (`LocalExecutor`) or on a worker pool (pool/). The sweep driver does not know which.
 */
import type { RunSpec, SweepConfig } from '../contract/config.js';
import type { RunProgress } from '../engine/training/run.js';
import type { RunRecord } from '../contract/record.js';

/** Runs training runs and reports their progress. */
export interface Executor {
  /**
   * Trains runs of one seed as a fused group (one run: alone); resolves with their records in `specs` order (status
   * 'failed' when training threw). Rejects when the worker died.
   */
  run(config: SweepConfig, specs: RunSpec[], onProgress: (p: RunProgress) => void): Promise<RunRecord[]>;
  /** Stops every running run (their promises reject with a CancelledError). */
  cancel(): void;
  close(): Promise<void>;
}
