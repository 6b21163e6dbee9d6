/**
 * The body of every task (messages.ts), wherever it runs: in a Node worker thread, a Web Worker, or this thread
 * (localExecutor.ts). It trains on the data set the task carries and streams the task's events; it does not know
 * where it runs.
 */
import type { Environment } from '../contract/record.js';
import { CancelledError } from '../contract/errors.js';
import { lrFind } from '../engine/training/lrFind.js';
import { trainRuns, type RunWindow } from '../engine/training/run.js';
import { errorMessage, failedRecords } from './failure.js';
import type { TaskKind, TaskResult, WorkerEvent, WorkerTask } from './messages.js';

/**
 * Runs `task`, sending its events to `emit`. A train task whose training throws resolves with a 'failed' record for
 * each of its runs; an LR range test that throws rejects. `cancelled` is polled every step (a worker is stopped by
 * ending it instead); once true, the task rejects with a CancelledError.
 */
export async function runTask<K extends TaskKind>(
  task: WorkerTask<K>,
  environment: Environment,
  emit: (e: WorkerEvent<K>) => void,
  cancelled: () => boolean = () => false,
): Promise<TaskResult<K>> {
  const t = task as WorkerTask;
  const send = emit as (e: WorkerEvent) => void;
  if (t.kind === 'lr-find') {
    return (await lrFind(t.data, t.config, t.options, t.seed, environment, {
      onStep: (event) => send({ kind: 'lr-find', event }),
      cancelled,
    })) as TaskResult<K>;
  }
  // a fit of a user's model needs tfjs-layers, which only fluctlab/tfjs's workers load (src/tfjs/fitTask.ts)
  if (t.kind === 'fit-model') throw new Error('a fit of a user model runs on the workers of fluctlab/tfjs');
  try {
    return (await trainRuns(t.data, t.config, t.specs, environment, {
      onProgress: (event) => send({ kind: 'train', event }),
      ...(t.windows ? { onWindow: (event: RunWindow) => send({ kind: 'train', event }) } : {}),
      cancelled,
    })) as TaskResult<K>;
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return failedRecords(t.config, t.specs, errorMessage(e), environment) as TaskResult<K>;
  }
}
