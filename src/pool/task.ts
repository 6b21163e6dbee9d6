/**
 * The body of one pool task, shared by the Node worker (worker_threads) and the
 * browser worker (Web Workers): train one run on the data set handed over by
 * the main thread and stream progress events back. It does not know which
 * kind of worker it runs in.
 */
import { runId, type RunSpec, type SweepConfig } from '../core/config.js';
import type { Dataset } from '../core/dataset.js';
import { BIN_SPEC } from '../core/histogram.js';
import { trainRun, type RunProgress } from '../core/run.js';
import { failedRecord, type Environment, type RunRecord } from '../core/schema.js';

/** What the main thread sends for one run. The data set's arrays are views of SharedArrayBuffers where available. */
export interface TrainTask {
  config: SweepConfig;
  spec: RunSpec;
  data: Dataset;
}

/** Progress event sent from a worker to the main thread. */
export interface ProgressEvent {
  type: 'progress';
  progress: RunProgress;
}

/** Trains one run; an exception becomes a 'failed' record with the reason. */
export async function runTrainTask(task: TrainTask, environment: Environment, emit: (e: ProgressEvent) => void): Promise<RunRecord> {
  try {
    return await trainRun(task.data, task.config, task.spec, environment, { onProgress: (progress) => emit({ type: 'progress', progress }) });
  } catch (e) {
    return failedRecord(task.config, { ...task.spec, id: runId(task.spec) }, (e as Error)?.message ?? String(e), environment, BIN_SPEC);
  }
}
