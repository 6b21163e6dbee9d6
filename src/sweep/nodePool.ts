/**
 * Runs tasks (messages.ts) in parallel on a workerpool of worker_threads: one run, fused group or LR range test per
 * task. The data set is loaded once in the main thread into SharedArrayBuffers and handed to every task as views: no
 * worker re-reads or copies it.
 *
 * A run that throws comes back as a 'failed' record from its worker; a worker
 * that dies (killed, out of memory) rejects its task, which the sweep driver
 * records as 'failed' (failure.ts), and workerpool starts a replacement for the next task.
 */
import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';
import type { SweepConfig } from '../contract/config.js';
import { shareDataset, type Dataset } from '../engine/data/dataset.js';
import { PoolTaskExecutor } from './execTask.js';
import type { TaskEvent, TaskKind, TaskRequest, TaskResult } from './messages.js';

/** The compiled worker script (tests import TypeScript sources, so point them at the build). */
export function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? here.replace(/\/src\/sweep\/nodePool\.ts$/, '/dist/sweep/nodeWorker.js')
    : here.replace(/nodePool\.js$/, 'nodeWorker.js');
}

/** An executor backed by a pool of `workers` worker threads. */
export class PoolExecutor extends PoolTaskExecutor {
  private readonly shared = new Map<string, Dataset>();

  /** Starts `workers` threads at once (each compiles the WASM backend while the caller prepares data). */
  constructor(
    readonly workers: number,
    private readonly load: (config: SweepConfig) => Dataset,
  ) {
    // execArgv [] so workers do not inherit the parent's flags (--input-type, --cpu-prof, loaders): they run compiled JS.
    super(
      workerpool.pool(workerScript(), {
        workerType: 'thread',
        maxWorkers: workers,
        minWorkers: workers,
        workerThreadOpts: { execArgv: [] },
      }),
    );
  }

  protected async exec<K extends TaskKind>(
    request: TaskRequest<K>,
    onEvent: (e: TaskEvent<K>) => void,
  ): Promise<TaskResult<K>> {
    this.refuseIfCancelled(request);
    let data = this.shared.get(request.config.data);
    if (!data) {
      data = shareDataset(this.load(request.config));
      this.shared.set(request.config.data, data);
    }
    return this.send({ ...request, data }, {}, onEvent);
  }
}
