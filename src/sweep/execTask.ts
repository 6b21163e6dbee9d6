/**
 * What the Node worker_threads pool and the browser's Web Worker pool share: sending one task (messages.ts) to a
 * workerpool pool, its events forwarded; cancelling (the workers terminated at once, a cancelled executor's task a
 * CancelledError) and closing. A worker that dies rejects its task (the sweep driver records a run's as 'failed';
 * workerpool starts a replacement).
 */
import type workerpool from 'workerpool';
import { CancelledError } from '../contract/errors.js';
import { TaskExecutor } from './executor.js';
import {
  TASK_METHOD,
  taskName,
  type TaskEvent,
  type TaskKind,
  type TaskRequest,
  type TaskResult,
  type WorkerBackend,
  type WorkerEvent,
  type WorkerTask,
} from './messages.js';

/** How a pool sends a task: the backend a Web Worker starts (none in Node), and the buffers to move rather than copy. */
export interface TaskChannel {
  backend?: WorkerBackend;
  transfer?: Transferable[];
}

/** An executor over a workerpool pool. */
export abstract class PoolTaskExecutor extends TaskExecutor {
  private cancelled = false;
  private readonly pool: workerpool.Pool;

  /**
   * `pool` is a workerpool Pool, taken as unknown: a typed parameter would bring workerpool's types into the public
   * declarations of every executor built on this class (private fields are declared without their type).
   */
  constructor(pool: unknown) {
    super();
    this.pool = pool as workerpool.Pool;
  }

  cancel(): void {
    this.cancelled = true;
    void this.pool.terminate(true);
  }

  async close(): Promise<void> {
    await this.pool.terminate();
  }

  /** Refuses a task once cancelled, before its data is prepared. */
  protected refuseIfCancelled<K extends TaskKind>(request: TaskRequest<K>): void {
    if (this.cancelled) throw new CancelledError(`${taskName(request)} cancelled`);
  }

  /** Calls a worker method that is not a task (the browser pool's describe). */
  protected callWorker(method: string, params: unknown[]): Promise<unknown> {
    return this.pool.exec(method, params);
  }

  /** Runs `task` on a worker of the pool. */
  protected async send<K extends TaskKind>(
    task: WorkerTask<K>,
    channel: TaskChannel,
    onEvent: (e: TaskEvent<K>) => void,
  ): Promise<TaskResult<K>> {
    const transfer = channel.transfer ?? [];
    try {
      return (await this.pool.exec(TASK_METHOD, channel.backend ? [task, channel.backend] : [task], {
        ...(transfer.length ? { transfer } : {}),
        on: (e: WorkerEvent<K>) => {
          if (e?.kind === task.kind) onEvent(e.event);
        },
      })) as TaskResult<K>;
    } catch (e) {
      if (this.cancelled) throw new CancelledError(`${taskName(task)} cancelled`);
      throw e;
    }
  }
}
