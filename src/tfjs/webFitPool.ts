/**
 * sweepModel's pool in the browser: Web Workers running webFitWorker.ts, each on one WASM thread (a fit is one run; the
 * workers are the parallelism), the .wasm binaries found as the sweep's workers find them (sweep/webAssets.ts).
 */
import workerpool from 'workerpool';
import { wasmFiles } from '../sweep/webAssets.js';
import { FitPoolExecutor } from './fitPool.js';
// Bundled on its own as a classic script (sweep/webPool.ts says why).
import workerScript from './webFitWorker.ts?worker&url';

/** A pool of `workers` Web Workers that fit a user's model; `assets`: where a hosted copy keeps wasm/ (default: the bundle's). */
export function webFitPool(workers: number, assets?: string): FitPoolExecutor {
  const url = new URL(workerScript, import.meta.url).href;
  return new FitPoolExecutor(
    workerpool.pool(url, {
      workerType: 'web',
      maxWorkers: workers,
      minWorkers: 0,
      workerOpts: { name: 'fluctlab-fit' },
    }),
    { wasm: wasmFiles(assets), threads: 1 },
  );
}
