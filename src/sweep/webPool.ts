/**
 * Runs tasks (messages.ts) in Web Workers through workerpool's browser pool: the
 * browser side of the pool seam (nodePool.ts is the Node side). Each task is one
 * run, fused group or LR range test, run by webWorker.ts with the same task body as Node's worker.
 *
 * The data set goes to the workers as views of SharedArrayBuffers where the
 * page is cross-origin isolated (no copies); elsewhere each task gets a fresh
 * copy of just the examples it trains on, transferred (not cloned again) to its
 * worker.
 */
import workerpool from 'workerpool';
import { env } from '../contract/host.js';
import type { SweepConfig } from '../contract/config.js';
import { limitTrain, type Dataset } from '../engine/data/dataset.js';
import type { Environment } from '../contract/record.js';
import { PoolTaskExecutor } from './execTask.js';
import {
  DESCRIBE_METHOD,
  type TaskEvent,
  type TaskKind,
  type TaskRequest,
  type TaskResult,
  type WorkerBackend,
} from './messages.js';
import type { PoolPlan } from './poolPlan.js';
import { siteUrl } from './site.js';
import { wasmFiles } from './webAssets.js';
// Bundled on its own as a classic script: the tfjs WASM glue (Emscripten) detects a worker by `importScripts`,
// which module workers lack, and its threaded build then fails to start.
import workerScript from './webWorker.ts?worker&url';

/** The worker script's URL under `assets`; a worker on another origin is started through a same-origin blob that loads it. */
export function workerUrl(assets?: string): string {
  const url = new URL(workerScript, siteUrl('./', assets)).href;
  if (new URL(url).origin === globalThis.location?.origin) return url;
  return URL.createObjectURL(new Blob([`importScripts(${JSON.stringify(url)});`], { type: 'text/javascript' }));
}

/** An executor backed by `plan.workers` Web Workers with `plan.threads` WASM threads each. */
export class WebPoolExecutor extends PoolTaskExecutor {
  private readonly backend: WorkerBackend;

  /** `assets`: the URL of the hosted site folder (dist/web) when this module is bundled elsewhere (default: next to this module). */
  constructor(
    readonly plan: PoolPlan,
    private readonly load: (config: SweepConfig) => Promise<Dataset>,
    assets?: string,
  ) {
    super(
      workerpool.pool(workerUrl(assets), {
        workerType: 'web',
        maxWorkers: plan.workers,
        minWorkers: 0,
        workerOpts: { name: 'fluctlab' },
      }),
    );
    this.backend = { wasm: wasmFiles(assets), threads: plan.threads };
  }

  /** Starts one worker's backend and reports what it runs on (for the environment panel). */
  async describe(): Promise<Environment> {
    return (await this.callWorker(DESCRIBE_METHOD, [this.backend])) as Environment;
  }

  protected async exec<K extends TaskKind>(
    request: TaskRequest<K>,
    onEvent: (e: TaskEvent<K>) => void,
  ): Promise<TaskResult<K>> {
    this.refuseIfCancelled(request);
    const shared = await this.load(request.config);
    const data = env.crossOriginIsolated && env.sharedMemory ? shared : copyForTask(shared, request.config.trainLimit);
    const transfer =
      data === shared
        ? []
        : [data.trainImages.buffer, data.trainLabels.buffer, data.testImages.buffer, data.testLabels.buffer];
    return this.send({ ...request, data }, { backend: this.backend, transfer: transfer as Transferable[] }, onEvent);
  }
}

/** The training subset and the test split as fresh arrays, each with a buffer of its own to transfer. */
function copyForTask(data: Dataset, trainLimit: number | null): Dataset {
  const d = trainLimit ? limitTrain(data, trainLimit) : data;
  return {
    ...d,
    trainImages: d.trainImages.slice(),
    trainLabels: d.trainLabels.slice(),
    testImages: d.testImages.slice(),
    testLabels: d.testLabels.slice(),
  };
}
