/**
 * Worker entry of sweepModel's browser pool (Web Workers, bundled on its own as a classic script like the sweep's
 * worker, sweep/webPool.ts says why): starts this worker's WASM backend from the .wasm URLs the page passes, then fits
 * one user's model per task (fitTask.ts), the user's module imported by its URL.
 */
import workerpool from 'workerpool';
import { initEnvironment } from '../engine/kernels/environment.js';
import { type FitModelTask, TASK_METHOD, type WorkerBackend } from '../sweep/messages.js';
import { fitTask } from './fitTask.js';

async function task(t: FitModelTask, backend: WorkerBackend) {
  return fitTask(t, await initEnvironment(backend.wasm, { threads: backend.threads }));
}

workerpool.worker({ [TASK_METHOD]: task });
