/**
 * The `fluctlab/tfjs` entry: fluctlab's recording for models a user builds with TensorFlow.js's layers API
 * (`@tensorflow/tfjs-layers`, an optional peer dependency): a callback for `model.fit` and `model.fitDataset`, and a
 * learning-rate sweep of a user's model on a worker pool. A deliberate list of names (test/api); docs/tfjs.md.
 */
export { fluctuationCallback, FluctuationCallback, type FluctuationOptions } from './callback.js';
export { sweepModel, wasmBackend } from './nodeSweep.js';
export type { SweepModelOptions, SweepModelOutcome, TensorInput } from './sweepModel.js';
export type { BuilderContext, ModelBuilder } from './builder.js';
