/**
 * Runs training runs one after another in this process.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initBackend } from '../backend/tf.js';
import { env } from '../backend/env.js';
import { runId, type RunSpec, type SweepConfig } from '../core/config.js';
import type { Dataset } from '../core/dataset.js';
import { BIN_SPEC } from '../core/histogram.js';
import { CancelledError, trainRun, type RunProgress } from '../core/run.js';
import { failedRecord, type Environment, type RunRecord } from '../core/schema.js';
import { FLUCTLAB_VERSION } from '../core/version.js';
import type { Executor } from '../pool/executor.js';
import { loadDataset } from './loadData.js';

/** Folder of the tfjs WASM binaries, found by module resolution (bundles must pass it explicitly). */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/** Initialises the backend and describes the environment a run executes in. */
export async function nodeEnvironment(): Promise<Environment> {
  const info = await initBackend(wasmDir());
  return { runtime: env.runtime, backend: info.backend, simd: info.simd, threads: info.threads, tfjsVersion: info.tfjsVersion, fluctlabVersion: FLUCTLAB_VERSION };
}

/** Trains one run, turning an exception into a 'failed' record (cancellation still throws). */
export async function runSafely(data: Dataset, config: SweepConfig, spec: RunSpec, environment: Environment, onProgress: (p: RunProgress) => void, cancelled: () => boolean): Promise<RunRecord> {
  try {
    return await trainRun(data, config, spec, environment, { onProgress, cancelled });
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return failedRecord(config, { ...spec, id: runId(spec) }, (e as Error).message ?? String(e), environment, BIN_SPEC);
  }
}

/** An executor that trains in the calling thread. */
export class LocalExecutor implements Executor {
  private cancelled = false;

  async run(config: SweepConfig, spec: RunSpec, onProgress: (p: RunProgress) => void): Promise<RunRecord> {
    const environment = await nodeEnvironment();
    return runSafely(loadDataset(config), config, spec, environment, onProgress, () => this.cancelled);
  }

  cancel(): void {
    this.cancelled = true;
  }

  async close(): Promise<void> {}
}
