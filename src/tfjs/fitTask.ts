/**
 * One run of sweepModel, in a worker: build the user's model for the run's learning rate (builder.ts), fit it with
 * fluctlab's callback, and return its record. The batch order is fluctlab's own seeded shuffle (engine/rng.ts), one
 * `fit` per epoch on the examples in that order with tfjs's shuffle off: tfjs shuffles with Math.random, which no seed
 * reaches, so a sweep's records would otherwise differ from run to run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Environment, RunRecord } from '../contract/record.js';
import { Rng } from '../engine/rng.js';
import type { FitModelTask, TensorData } from '../sweep/messages.js';
import { buildModel, disposeModel, loadBuilder } from './builder.js';
import { fluctuationCallback } from './callback.js';

const tensor = (d: TensorData) => tf.tensor(d.values, d.shape, 'float32');

/** Fits the task's model and returns its record (`config` the sweep's, `environment` this worker's). */
export async function fitTask(t: FitModelTask, environment: Environment): Promise<RunRecord> {
  const model = await buildModel(t.module, await loadBuilder(t.module), t.lr, t.seed);
  const x = tensor(t.x);
  const y = tensor(t.y);
  const validation = t.validation ? ([tensor(t.validation.x), tensor(t.validation.y)] as [tf.Tensor, tf.Tensor]) : null;
  const probe = t.probe > 0 ? tf.slice(x, 0, Math.min(t.probe, x.shape[0])) : undefined;
  const n = x.shape[0];
  const steps = Math.ceil(n / t.config.batch) * t.config.epochs;
  const windowSteps = t.config.windowSteps ?? 'epoch';
  const cb = fluctuationCallback({ windowSteps, runSteps: steps, seed: t.seed, tau: t.config.tau, probe });
  const rng = new Rng(t.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  // the epoch's shuffled copies, freed in the finally too: a fit that throws must not leave them in a reused worker
  let epochData: tf.Tensor[] = [];
  try {
    for (let epoch = 0; epoch < t.config.epochs && !model.stopTraining; epoch++) {
      const index = tf.tensor1d(rng.shuffle(order), 'int32');
      const [xs, ys] = [tf.gather(x, index), tf.gather(y, index)];
      epochData = [index, xs, ys];
      await model.fit(xs, ys, {
        epochs: epoch + 1,
        initialEpoch: epoch,
        batchSize: t.config.batch,
        shuffle: false,
        verbose: 0,
        callbacks: [cb],
        ...(validation ? { validationData: validation } : {}),
      });
      tf.dispose(epochData);
      epochData = [];
    }
    const record = cb.record();
    return { ...record, config: t.config, environment };
  } finally {
    cb.dispose();
    tf.dispose([...epochData, x, y, ...(validation ?? []), ...(probe ? [probe] : [])]);
    disposeModel(model);
  }
}
