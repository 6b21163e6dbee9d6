/**
 * Runs tasks (training runs, fused groups, LR range tests) one after another in this process, with the same task body
 * as the workers (task.ts).
 */
import { nodeEnvironment } from './nodeBackend.js';
import type { RunSpec, SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import type { RunProgress } from '../engine/training/run.js';
import type { LrFindResult } from '../engine/training/lrFind.js';
import type { LrFindOptions, RangePoint } from '../engine/training/rangeTest.js';
import type { RunRecord } from '../contract/record.js';
import type { Executor } from './executor.js';
import type { TaskEvent, TaskKind, TaskRequest, TaskResult } from './messages.js';
import { runTask } from './task.js';

/** An executor that trains in the calling thread. */
export class LocalExecutor implements Executor {
  private cancelled = false;

  /** `load` gives a config's data set (in Node: loadDataset, which loads each once per process). */
  constructor(private readonly load: (config: SweepConfig) => Dataset) {}

  run(config: SweepConfig, specs: RunSpec[], onProgress: (p: RunProgress) => void): Promise<RunRecord[]> {
    return this.exec({ kind: 'train', config, specs }, onProgress);
  }

  lrFind(
    config: SweepConfig,
    options: LrFindOptions,
    seed: number,
    onPoint: (p: RangePoint) => void,
  ): Promise<LrFindResult> {
    return this.exec({ kind: 'lr-find', config, options, seed }, onPoint);
  }

  cancel(): void {
    this.cancelled = true;
  }

  async close(): Promise<void> {}

  private async exec<K extends TaskKind>(
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
