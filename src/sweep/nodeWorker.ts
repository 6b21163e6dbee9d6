/**
 * Worker entry for Node's worker_threads pool. Each worker initialises its own
 * WASM backend once and then runs many tasks (messages.ts).
 *
 * Fault injection for tests: FLUCTLAB_FAULT="exit:<run id>:<step>" makes the
 * worker die abruptly (process.exit in a worker thread ends only that thread)
 * once that run reports reaching that step, the same way an out-of-memory kill
 * would look to the pool; the run id "lr-find" names an LR range test.
 */
import workerpool from 'workerpool';
import { nodeEnvironment } from './nodeBackend.js';
import { TASK_METHOD, type WorkerEvent, type WorkerTask } from './messages.js';
import { runTask } from './task.js';

const fault = /^exit:([^:]+):(\d+)$/.exec(process.env.FLUCTLAB_FAULT ?? '');

// Start the backend as soon as the worker exists, so WASM compiles while the main thread is still loading data.
const ready = nodeEnvironment();

async function task(t: WorkerTask) {
  const environment = await ready;
  return runTask(t, environment, (e: WorkerEvent) => {
    const id = e.kind === 'train' ? e.event.id : 'lr-find';
    const step = 'step' in e.event ? e.event.step : e.event.window.endStep;
    if (fault && id === fault[1] && step >= Number(fault[2])) process.exit(7);
    workerpool.workerEmit(e);
  });
}

workerpool.worker({ [TASK_METHOD]: task });
