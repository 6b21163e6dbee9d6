/**
 * Worker entry of sweepModel's Node pool (worker_threads): starts this thread's WASM backend once, then fits one
 * user's model per task (fitTask.ts). tfjs-layers is loaded here, never by fluctlab's own sweep workers.
 */
import workerpool from 'workerpool';
import { nodeEnvironment } from '../sweep/nodeBackend.js';
import { type FitModelTask, TASK_METHOD } from '../sweep/messages.js';
import { fitTask } from './fitTask.js';

// Start the backend as soon as the worker exists, so WASM compiles while the main thread checks the builder.
const ready = nodeEnvironment();

workerpool.worker({ [TASK_METHOD]: async (t: FitModelTask) => fitTask(t, await ready) });
