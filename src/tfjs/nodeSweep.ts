/** sweepModel in Node: the backend of this thread, a pool of worker threads, and the result folder with its report. */
import type { Environment } from '../contract/record.js';
import { nodeEnvironment } from '../sweep/nodeBackend.js';
import { writeReport } from '../store/reportFolder.js';
import { createResultDir } from '../store/resultDir.js';
import { nodeFitPool } from './nodeFitPool.js';
import { writeRecordFolder } from './resultFolder.js';
import { runModelSweep, type SweepModelOptions, type SweepModelOutcome } from './sweepModel.js';

/**
 * Starts tfjs's WASM backend in this thread (once), with fluctlab's kernels (a tfjs-layers CNN needs its
 * Conv2DBackpropFilter), and describes it: call it before building a model to record.
 *
 *     await wasmBackend(); // { backend: 'wasm', simd: true, threads: 1, … }
 */
export function wasmBackend(): Promise<Environment> {
  return nodeEnvironment();
}

/**
 * A learning-rate sweep of a user's tfjs-layers model: one `fit` per learning rate and seed on `workers` worker
 * threads, each importing `model` (a module URL whose default export builds and compiles the model for a learning
 * rate), aggregated into the SweepResult of fluctlab's own sweeps; with `out`, a result folder with the report.
 *
 *     const { result } = await sweepModel({ model: new URL('./cnn.js', import.meta.url).href, data: { x, y }, lrs: [0.1, 0.03, 0.01], out: 'runs/cnn' });
 */
export function sweepModel(options: SweepModelOptions): Promise<SweepModelOutcome> {
  return runModelSweep(options, {
    start: nodeEnvironment,
    open: nodeFitPool,
    create: (dir, config) => void createResultDir(dir, config, null),
    write: async (dir, config, records, result) => {
      writeRecordFolder(dir, records, config);
      await writeReport(dir, result, records);
    },
  });
}
