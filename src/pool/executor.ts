/**
 * Executors run one training run each: in this process (`LocalExecutor`) or on
 * a worker pool (pool/). The sweep driver does not know which.
 */
import type { RunSpec, SweepConfig } from '../core/config.js';
import type { RunProgress } from '../core/training/run.js';
import type { RunRecord } from '../core/analysis/schema.js';

/** Runs training runs and reports their progress. */
export interface Executor {
  /** Trains one run; resolves with its record (status 'failed' when the run threw or its worker died). */
  run(config: SweepConfig, spec: RunSpec, onProgress: (p: RunProgress) => void): Promise<RunRecord>;
  /** Stops every running run (their promises reject with a CancelledError). */
  cancel(): void;
  close(): Promise<void>;
}
