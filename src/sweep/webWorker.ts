/**
 * Worker entry for the browser's Web Worker pool: the same task body as Node's
 * worker (pool/task.ts), with the backend initialised from the site's .wasm
 * binaries. Each worker initialises its WASM backend once and runs many tasks.
 *
 * Methods: `describe(backend)` initialises and reports the environment (the
 * page calls it to fill its environment panel before any run); `train(task,
 * backend)` trains one run and streams progress events; `lrFind(task, backend)` runs an LR range test and streams its
 * points.
 */
import workerpool from 'workerpool';
import { initEnvironment } from '../engine/kernels/tf.js';
import type { Environment } from '../contract/record.js';
import { runTrainTask, type ProgressEvent, type TrainTask } from './task.js';
import { lrFind as runLrFind, type LrFindOptions, type RangePoint } from '../engine/training/lrFind.js';
import type { SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';

/** How the page wants this worker's backend: where the .wasm files are and how many threads to use. */
export interface WorkerBackend {
  wasmDir: string;
  threads: number;
}

function describe(backend: WorkerBackend): Promise<Environment> {
  return initEnvironment(backend.wasmDir, { threads: backend.threads });
}

async function train(task: TrainTask, backend: WorkerBackend) {
  const environment = await describe(backend);
  return runTrainTask(task, environment, (e: ProgressEvent) => workerpool.workerEmit(e));
}

/** What the page sends for an LR range test. */
export interface LrFindTask {
  config: SweepConfig;
  options: LrFindOptions;
  seed: number;
  data: Dataset;
}

/** An LR range test point sent to the page while the ramp runs. */
export interface LrFindPointEvent {
  type: 'lr-find-point';
  point: RangePoint;
}

async function lrFind(task: LrFindTask, backend: WorkerBackend) {
  const environment = await describe(backend);
  return runLrFind(task.data, task.config, task.options, task.seed, environment, { onStep: (point) => workerpool.workerEmit({ type: 'lr-find-point', point } satisfies LrFindPointEvent) });
}

workerpool.worker({ train, describe, lrFind });
