/** sweepModel's pool in Node: worker threads running nodeFitWorker.ts. */
import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';
import { FitPoolExecutor } from './fitPool.js';

/** The compiled worker script (tests import TypeScript sources, so point them at the build). */
function fitWorkerScript(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? here.replace(/\/src\/tfjs\/nodeFitPool\.ts$/, '/dist/tfjs/nodeFitWorker.js')
    : here.replace(/nodeFitPool\.js$/, 'nodeFitWorker.js');
}

/** A pool of `workers` worker threads that fit a user's model. */
export function nodeFitPool(workers: number): FitPoolExecutor {
  // execArgv [] so workers do not inherit the parent's flags (loaders, --cpu-prof): they run compiled JS
  return new FitPoolExecutor(
    workerpool.pool(fitWorkerScript(), {
      workerType: 'thread',
      maxWorkers: workers,
      minWorkers: workers,
      workerThreadOpts: { execArgv: [] },
    }),
  );
}
