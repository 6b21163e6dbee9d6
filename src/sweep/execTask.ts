/**
 * Sending one training run (or fused group) to a workerpool pool, the same way from Node's
 * worker_threads pool and the browser's Web Worker pool: progress events are
 * forwarded; a cancelled sweep becomes a CancelledError, and a worker that dies
 * rejects (the sweep driver turns that into a 'failed' record; workerpool starts
 * a replacement).
 */
import type workerpool from 'workerpool';
import { runId, type RunSpec } from '../contract/config.js';
import { CancelledError } from '../contract/errors.js';
import type { RunProgress } from '../engine/training/run.js';
import type { RunRecord } from '../contract/record.js';
import type { ProgressEvent } from './task.js';

/** Runs the worker method 'train' with `params`; `cancelled` tells a cancelled sweep from a dead worker. */
export async function execTrainTask(pool: workerpool.Pool, params: unknown[], transfer: Transferable[], spec: RunSpec, onProgress: (p: RunProgress) => void, cancelled: () => boolean): Promise<RunRecord[]> {
  try {
    return (await pool.exec('train', params, {
      ...(transfer.length ? { transfer } : {}),
      on: (e: ProgressEvent) => {
        if (e?.type === 'progress') onProgress(e.progress);
      },
    })) as RunRecord[];
  } catch (e) {
    if (cancelled()) throw new CancelledError(`run ${runId(spec)} cancelled`);
    throw e;
  }
}
