/**
 * Worker entry for Node's worker_threads pool. Each worker initialises its own
 * WASM backend once and then runs many tasks.
 *
 * Fault injection for tests: FLUCTLAB_FAULT="exit:<run id>:<step>" makes the
 * worker die abruptly (process.exit in a worker thread ends only that thread)
 * once that run reports reaching that step, the same way an out-of-memory kill
 * would look to the pool.
 */
import workerpool from 'workerpool';
import { nodeEnvironment } from './nodeBackend.js';
import { runTrainTask, type ProgressEvent, type TrainTask } from './task.js';

const fault = /^exit:([^:]+):(\d+)$/.exec(process.env.FLUCTLAB_FAULT ?? '');

// Start the backend as soon as the worker exists, so WASM compiles while the main thread is still loading data.
const ready = nodeEnvironment();

async function train(task: TrainTask) {
  const environment = await ready;
  return runTrainTask(task, environment, (e: ProgressEvent) => {
    if (fault && e.progress.id === fault[1] && e.progress.step >= Number(fault[2])) process.exit(7);
    workerpool.workerEmit(e);
  });
}

workerpool.worker({ train });
