/**
 * Sending one task (messages.ts) to a workerpool pool, the same way from Node's worker_threads pool and the browser's
 * Web Worker pool: its events are forwarded; a cancelled executor's task becomes a CancelledError, and a worker that
 * dies rejects (the sweep driver records a run's as 'failed'; workerpool starts a replacement).
 */
import type workerpool from 'workerpool';
import { CancelledError } from '../contract/errors.js';
import {
  TASK_METHOD,
  taskName,
  type TaskEvent,
  type TaskKind,
  type TaskResult,
  type WorkerBackend,
  type WorkerEvent,
  type WorkerTask,
} from './messages.js';

/** How a pool sends a task: the backend a Web Worker starts (none in Node), the buffers to move rather than copy, and whether its executor was cancelled. */
export interface TaskChannel {
  backend?: WorkerBackend;
  transfer?: Transferable[];
  cancelled(): boolean;
}

/** Runs `task` on a worker of `pool`. */
export async function execTask<K extends TaskKind>(
  pool: workerpool.Pool,
  task: WorkerTask<K>,
  channel: TaskChannel,
  onEvent: (e: TaskEvent<K>) => void,
): Promise<TaskResult<K>> {
  const transfer = channel.transfer ?? [];
  try {
    return (await pool.exec(TASK_METHOD, channel.backend ? [task, channel.backend] : [task], {
      ...(transfer.length ? { transfer } : {}),
      on: (e: WorkerEvent<K>) => {
        if (e?.kind === task.kind) onEvent(e.event);
      },
    })) as TaskResult<K>;
  } catch (e) {
    if (channel.cancelled()) throw new CancelledError(`${taskName(task)} cancelled`);
    throw e;
  }
}
