/**
 * The body of one pool task, shared by the Node worker (worker_threads) and the
 * browser worker (Web Workers): train one run, or one fused group of runs, on
 * the data set handed over by the main thread and stream progress events back.
 * It does not know which kind of worker it runs in.
 */
import type { RunSpec, SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import { CancelledError } from '../contract/errors.js';
import { trainRuns, type RunHooks, type RunProgress } from '../engine/training/run.js';
import type { Environment, RunRecord } from '../contract/record.js';
import { errorMessage, failedRecords } from './failure.js';

/** What the main thread sends for one run or fused group. The data set's arrays are views of SharedArrayBuffers where available. */
export interface TrainTask {
  config: SweepConfig;
  specs: RunSpec[];
  data: Dataset;
}

/** Progress event sent from a worker to the main thread. */
export interface ProgressEvent {
  type: 'progress';
  progress: RunProgress;
}

/** Trains a run or fused group; an exception becomes a 'failed' record for each of its runs, with the reason (a cancellation still throws). */
export async function trainSafely(data: Dataset, config: SweepConfig, specs: RunSpec[], environment: Environment, hooks: RunHooks = {}): Promise<RunRecord[]> {
  try {
    return await trainRuns(data, config, specs, environment, hooks);
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return failedRecords(config, specs, errorMessage(e), environment);
  }
}

/** A pool task's body: `trainSafely` with progress sent to the main thread as events. */
export function runTrainTask(task: TrainTask, environment: Environment, emit: (e: ProgressEvent) => void): Promise<RunRecord[]> {
  return trainSafely(task.data, task.config, task.specs, environment, { onProgress: (progress) => emit({ type: 'progress', progress }) });
}
