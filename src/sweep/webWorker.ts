/**
 * Worker entry for the browser's Web Worker pool: the same task body as Node's
 * worker (task.ts), with the backend initialised from the site's .wasm
 * binaries. Each worker initialises its WASM backend once and runs many tasks.
 *
 * Methods (messages.ts): DESCRIBE_METHOD `(backend)` initialises and reports the
 * environment (the page calls it to fill its environment panel before any run);
 * TASK_METHOD `(task, backend)` runs a task and streams its events.
 */
import workerpool from 'workerpool';
import { initEnvironment } from '../engine/kernels/environment.js';
import type { Environment } from '../contract/record.js';
import { DESCRIBE_METHOD, TASK_METHOD, type WorkerBackend, type WorkerTask } from './messages.js';
import { runTask } from './task.js';

function describe(backend: WorkerBackend): Promise<Environment> {
  return initEnvironment(backend.wasm, { threads: backend.threads });
}

async function task(t: WorkerTask, backend: WorkerBackend) {
  const environment = await describe(backend);
  return runTask(t, environment, (e) => workerpool.workerEmit(e));
}

workerpool.worker({ [TASK_METHOD]: task, [DESCRIBE_METHOD]: describe });
