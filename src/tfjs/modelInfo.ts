/**
 * What the callback reads off a tfjs-layers model once, and the options it takes: the trainable weights laid out for
 * the recorder (weightLayout.ts), the optimizer's class and learning rate as far as tfjs exposes them, the environment,
 * and the SweepConfig a record of it carries (`UserLabel`s for the model, data and optimizer fluctlab did not build).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { SweepConfig } from '../contract/config.js';
import { DEFAULTS } from '../contract/configure.js';
import { UsageError } from '../contract/errors.js';
import { env } from '../contract/host.js';
import type { Environment } from '../contract/record.js';
import { FLUCTLAB_VERSION } from '../contract/version.js';
import type { RunLog } from './runLog.js';
import type { WeightSource } from './stepDelta.js';
import { planWeights, type WeightPlan } from './weightLayout.js';

/** Options of fluctuationCallback. */
export interface FluctuationOptions {
  /** a window every this many optimizer steps, or one per epoch ('epoch', the default); a last window shorter than half the others joins the one before it when `fit` says how many steps it takes */
  windowSteps?: number | 'epoch';
  /** the optimizer steps of the whole recording when it spans several `fit` calls (sweepModel fits one epoch a call), so a short last window joins the one before it as in one `fit` (default: the steps of each `fit`) */
  runSteps?: number;
  /** participation threshold τ, a fraction of a layer's mean neuron fluctuation (default 0.1) */
  tau?: number;
  /** a batch of inputs to count dead units on at every window's end (default: none; deadUnits null) */
  probe?: tf.Tensor;
  /** the seed the model was built and trained with, kept in the record (fluctlab cannot read it off the model; default 0) */
  seed?: number;
  /** what the data is called in the record and the report (`tfjs:<data>`; default 'fit') */
  data?: string;
  /** a result folder (Node) to write when `fit` ends: manifest, runs/<id>.json and sweep.json, which `fluctlab report`, `export` and `merge` read */
  out?: string;
}

/** The model as the callback records it. */
export interface ModelInfo {
  name: string;
  variables: WeightSource[];
  plan: WeightPlan;
  parameterCount: number;
  optimizerClass: string;
  /** the learning rate tfjs's optimizer holds now (0 where it holds none) */
  learningRate(): number;
  /** the first learning rate seen: the record's `lr` */
  startLr: number;
  batch: number | null;
  environment: Environment;
}

/** Refuses options that do not parse, in one line each. */
export function checkOptions(o: FluctuationOptions): void {
  const k = o.windowSteps;
  if (k !== undefined && k !== 'epoch' && !(Number.isInteger(k) && k >= 1))
    throw new UsageError(
      `windowSteps ${JSON.stringify(k)} is not a whole number from 1 or 'epoch': e.g. windowSteps: 50`,
    );
  if (o.runSteps !== undefined && !(Number.isInteger(o.runSteps) && o.runSteps >= 1))
    throw new UsageError(`runSteps ${JSON.stringify(o.runSteps)} is not a whole number from 1: e.g. runSteps: 1000`);
  if (o.tau !== undefined && !(o.tau >= 0 && o.tau <= 1))
    throw new UsageError(`tau ${JSON.stringify(o.tau)} is not a number from 0 to 1: e.g. tau: 0.1`);
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff))
    throw new UsageError(`seed ${JSON.stringify(o.seed)} is not a whole number from 0 to 4294967295: e.g. seed: 1`);
  if (o.probe !== undefined && !(o.probe instanceof tf.Tensor && o.probe.rank >= 1))
    throw new UsageError('probe is not a tensor of input examples: pass e.g. probe: xTest.slice(0, 100)');
  if (o.data !== undefined && (typeof o.data !== 'string' || o.data === ''))
    throw new UsageError(`data ${JSON.stringify(o.data)} is not a name: pass e.g. data: 'mnist'`);
  if (o.out !== undefined && (typeof o.out !== 'string' || o.out === ''))
    throw new UsageError(`out ${JSON.stringify(o.out)} is not a folder: pass e.g. out: 'runs/my-model'`);
}

const rateOf = (optimizer: unknown): number => {
  const lr = (optimizer as { learningRate?: unknown }).learningRate;
  return typeof lr === 'number' && Number.isFinite(lr) ? lr : 0;
};

/**
 * The model's name as a record keeps it: tfjs numbers the names it makes up by how many models this process has
 * built (`sequential_3`), and trains a Sequential through a model named `<name>_model`; both are dropped, so two
 * builds of one model record one name.
 */
export const modelLabel = (name: string): string => name.replace(/_model$/, '').replace(/_\d+$/, '');

/** Reads a compiled model: its trainable weights, layout, optimizer and the environment it trains in. */
export function describeModel(model: LayersModel): ModelInfo {
  const layers = model.layers.map((l) => ({
    layer: l.name,
    className: l.getClassName(),
    weights: l.trainableWeights.map((w) => ({ name: w.name, shape: w.shape as number[] })),
  }));
  const variables = model.layers.flatMap((l) => l.trainableWeights);
  if (variables.length === 0)
    throw new UsageError(`model ${model.name} has no trainable weights: there is no Δ to record`);
  const plan = planWeights(layers);
  const optimizer = model.optimizer;
  const wasm = tf.getBackend() === 'wasm';
  return {
    name: modelLabel(model.name),
    variables,
    plan,
    parameterCount: variables.reduce((n, v) => n + v.read().size, 0),
    optimizerClass: optimizer.getClassName(),
    learningRate: () => rateOf(optimizer),
    startLr: rateOf(optimizer),
    batch: null,
    environment: {
      runtime: env.runtime,
      backend: tf.getBackend(),
      simd: wasm && tf.env().getFlags().WASM_HAS_SIMD_SUPPORT === true,
      threads: wasm ? getThreadsCount() : 1,
      tfjsVersion: tf.version_core,
      fluctlabVersion: FLUCTLAB_VERSION,
    },
  };
}

/** The config a record of the model carries. */
export function recordConfig(info: ModelInfo, o: FluctuationOptions, log: RunLog): SweepConfig {
  return {
    ...DEFAULTS,
    data: `tfjs:${o.data ?? 'fit'}`,
    trainLimit: null,
    model: `tfjs:${info.name}`,
    optimizer: `tfjs:${info.optimizerClass}`,
    lrs: [info.startLr],
    seeds: [o.seed ?? 0],
    epochs: Math.max(1, log.epochs.length),
    batch: Math.max(1, info.batch ?? 1),
    windowSteps: typeof o.windowSteps === 'number' ? o.windowSteps : null,
    tau: o.tau ?? 0.1,
    probeSize: o.probe ? o.probe.shape[0] : 0,
    schedule: 'constant',
    weightDecay: 0,
    divergeFactor: null,
    // tfjs-layers' products are tfjs-wasm's own (XNNPACK's WASM SIMD: a multiply, then an add), not fluctlab's kernels
    arithmetic: 'exact',
  };
}
