/**
 * Sending one training run to a workerpool pool, the same way from Node's
 * worker_threads pool and the browser's Web Worker pool: progress events are
 * forwarded, a worker that dies becomes a 'failed' record (workerpool starts a
 * replacement), and a cancelled sweep becomes a CancelledError.
 */
import type workerpool from 'workerpool';
import { env } from '../backend/env.js';
import { runId, type RunSpec, type SweepConfig } from '../core/config.js';
import { BIN_SPEC } from '../core/histogram.js';
import { CancelledError, type RunProgress } from '../core/run.js';
import { failedRecord, type RunRecord } from '../core/schema.js';
import { FLUCTLAB_VERSION } from '../core/version.js';
import type { ProgressEvent } from './task.js';

/** Runs the worker method 'train' with `params`; `cancelled` tells a cancelled sweep from a dead worker. */
export async function execTrainTask(
  pool: workerpool.Pool,
  params: unknown[],
  transfer: Transferable[],
  config: SweepConfig,
  spec: RunSpec,
  onProgress: (p: RunProgress) => void,
  cancelled: () => boolean,
): Promise<RunRecord> {
  try {
    return (await pool.exec('train', params, {
      ...(transfer.length ? { transfer } : {}),
      on: (e: ProgressEvent) => {
        if (e?.type === 'progress') onProgress(e.progress);
      },
    })) as RunRecord;
  } catch (e) {
    if (cancelled()) throw new CancelledError(`run ${runId(spec)} cancelled`);
    const reason = `worker died: ${(e as Error)?.message ?? String(e)}`;
    const environment = { runtime: env.runtime, backend: 'unknown', simd: false, threads: 0, tfjsVersion: 'unknown', fluctlabVersion: FLUCTLAB_VERSION };
    return failedRecord(config, { ...spec, id: runId(spec) }, reason, environment, BIN_SPEC);
  }
}
