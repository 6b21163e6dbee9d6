/**
 * Runs tasks (training runs, fused groups, LR range tests) one after another in this process, with the same task body
 * as the workers (task.ts).
 */
import { nodeEnvironment } from './nodeBackend.js';
import type { SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import { TaskExecutor } from './executor.js';
import type { TaskEvent, TaskKind, TaskRequest, TaskResult } from './messages.js';
import { runTask } from './task.js';

/** An executor that trains in the calling thread. */
export class LocalExecutor extends TaskExecutor {
  private cancelled = false;

  /** `load` gives a config's data set (in Node: loadDataset, which loads each once per process). */
  constructor(private readonly load: (config: SweepConfig) => Dataset) {
    super();
  }

  cancel(): void {
    this.cancelled = true;
  }

  async close(): Promise<void> {}

  protected async exec<K extends TaskKind>(
    request: TaskRequest<K>,
    onEvent: (e: TaskEvent<K>) => void,
  ): Promise<TaskResult<K>> {
    const environment = await nodeEnvironment();
    return runTask(
      { ...request, data: this.load(request.config) },
      environment,
      (e) => onEvent(e.event),
      () => this.cancelled,
    );
  }
}
