/**
 * The executor sweepModel fits on: one over a workerpool pool (sweep/execTask.ts, the one fluctlab's sweeps use),
 * whose tasks are fits of a user's model (messages.ts 'fit-model'); nodeFitPool.ts starts it on worker_threads,
 * webFitPool.ts on Web Workers.
 */
import type { RunRecord } from '../contract/record.js';
import { PoolTaskExecutor, type TaskChannel } from '../sweep/execTask.js';
import type {
  FitModelTask,
  TaskEvent,
  TaskKind,
  TaskRequest,
  TaskResult,
  WorkerBackend,
  WorkerTask,
} from '../sweep/messages.js';

/** An executor of fits of a user's model. */
export class FitPoolExecutor extends PoolTaskExecutor {
  /** `pool`: a workerpool pool of fit workers; `backend`: what a Web Worker starts (none in Node) */
  constructor(
    pool: unknown,
    private readonly backend?: WorkerBackend,
  ) {
    super(pool);
  }

  /** Fits one run on a worker; rejects when it threw or its worker died. */
  fit(task: FitModelTask): Promise<RunRecord> {
    return this.exec({ kind: 'fit-model', ...task }, () => {});
  }

  protected async exec<K extends TaskKind>(
    request: TaskRequest<K>,
    onEvent: (e: TaskEvent<K>) => void,
  ): Promise<TaskResult<K>> {
    this.refuseIfCancelled(request);
    if (request.kind !== 'fit-model') throw new Error(`a fit pool runs fits of a user's model, not ${request.kind}`);
    const channel: TaskChannel = this.backend ? { backend: this.backend } : {};
    return this.send(request as WorkerTask<K>, channel, onEvent);
  }
}
