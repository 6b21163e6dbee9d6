/**
 * A user's model module, as sweepModel and its workers load it: a module (by URL) whose default export, or export
 * named `build`, is a builder `(lr, { seed, tf, tfl }) => model` that returns a compiled tfjs-layers model (or a
 * promise of one) for a learning rate. `tf` and `tfl` are the tfjs-core and tfjs-layers the worker runs, so a module
 * that takes them from there works in a Web Worker without imports of its own. Every way a module or its builder
 * fails is a UsageError of one line naming the problem and the fix.
 *
 *     // cnn.js
 *     export default (lr, { tfl, tf, seed }) => { const m = tfl.sequential(…); m.compile({ optimizer: tf.train.sgd(lr), loss: … }); return m; };
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UsageError } from '../contract/errors.js';

/** What a builder is given besides the learning rate. */
export interface BuilderContext {
  /** the run's seed, for seeded initialisers (`tfl.initializers.glorotUniform({ seed })`) */
  seed: number;
  /** the tfjs-core module the worker runs */
  tf: typeof tf;
  /** the tfjs-layers module the worker runs */
  tfl: typeof tfl;
}

/** A builder: a compiled tfjs-layers model for a learning rate. */
export type ModelBuilder = (lr: number, context: BuilderContext) => tfl.LayersModel | Promise<tfl.LayersModel>;

const HOW = 'export default (lr, { tf, tfl, seed }) => a compiled tfjs-layers model';

/** The builder `url` exports; a UsageError when the module does not load or exports none. */
export async function loadBuilder(url: string): Promise<ModelBuilder> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(/* @vite-ignore */ url);
  } catch (e) {
    throw new UsageError(
      `model module ${url} does not load (${firstLine(e)}): pass the URL of an ES module, e.g. new URL('./cnn.js', import.meta.url).href`,
    );
  }
  const build = mod.default ?? mod.build;
  if (typeof build !== 'function')
    throw new UsageError(`model module ${url} exports no builder (no default or build function): ${HOW}`);
  return build as ModelBuilder;
}

/** Builds the model for `lr`; a UsageError when the builder throws, returns something else, or an uncompiled model. */
export async function buildModel(url: string, build: ModelBuilder, lr: number, seed: number): Promise<tfl.LayersModel> {
  let model: unknown;
  try {
    model = await build(lr, { seed, tf, tfl });
  } catch (e) {
    throw new UsageError(
      `the builder of ${url} rejected learning rate ${lr} (${firstLine(e)}): sweep learning rates it accepts`,
    );
  }
  if (!(model instanceof tfl.LayersModel))
    throw new UsageError(
      `the builder of ${url} returned ${describe(model)} for learning rate ${lr}, not a tfjs-layers model: ${HOW}`,
    );
  if (!model.optimizer)
    throw new UsageError(
      `the builder of ${url} returned model ${model.name} not compiled: call model.compile({ optimizer, loss }) before returning it`,
    );
  return model;
}

/**
 * Frees the model and its optimizer's state. tfjs-layers' dispose frees an optimizer only when compile made it from a
 * name (isOptimizerOwned); an instance the builder passed (`tf.train.adam(lr)`, to set its lr) would stay in the
 * thread (a pool's worker is reused for the next run). The builder makes the model, and so its optimizer, per call.
 */
export function disposeModel(model: tfl.LayersModel): void {
  const owned = (model as unknown as { isOptimizerOwned?: boolean }).isOptimizerOwned === true;
  const optimizer = model.optimizer;
  model.dispose();
  // an owned one was freed by model.dispose above: not twice
  if (!owned) optimizer?.dispose();
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
const describe = (v: unknown) =>
  v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
