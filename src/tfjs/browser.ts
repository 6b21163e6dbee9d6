/**
 * The `fluctlab/tfjs` entry in a browser (package.json's "browser" condition; built by vite.tfjs.config.ts into
 * dist/tfjs-web/ with tfjs-core and tfjs-layers left to the page, so the callback and the page's models share one
 * tfjs): the names of index.ts, with sweepModel on Web Workers and the backend started from the bundled .wasm files.
 */
import type { Environment } from '../contract/record.js';
import { initEnvironment } from '../engine/kernels/environment.js';
import { wasmFiles } from '../sweep/webAssets.js';
import { runModelSweep, type SweepModelOptions, type SweepModelOutcome } from './sweepModel.js';
import { webFitPool } from './webFitPool.js';

export { fluctuationCallback, FluctuationCallback, type FluctuationOptions } from './callback.js';
export type { SweepModelOptions, SweepModelOutcome, TensorInput } from './sweepModel.js';
export type { BuilderContext, ModelBuilder } from './builder.js';

/** Starts tfjs's WASM backend on this page (once), with fluctlab's kernels, and describes it. */
export function wasmBackend(): Promise<Environment> {
  return initEnvironment(wasmFiles());
}

/** sweepModel on this page's Web Workers (index.ts has the Node one; `out` is Node's only). */
export function sweepModel(options: SweepModelOptions): Promise<SweepModelOutcome> {
  return runModelSweep(options, { start: wasmBackend, open: (workers) => webFitPool(workers) });
}
