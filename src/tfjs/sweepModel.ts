/**
 * sweepModel: a learning-rate sweep of a user's own tfjs-layers model. One `fit` per (learning rate, seed) on a pool of
 * workers, each worker importing the user's module and building the model for its learning rate (builder.ts), the
 * records aggregated into the SweepResult fluctlab's own sweeps give (analysis/sweepResult.ts), so the report, the
 * exports and merge read it alike. The builder is tried for every learning rate here first, so a module without a
 * builder, a model not compiled or a learning rate the builder rejects is one line before any worker starts.
 * The host (Node or the browser) says how to start the backend and the pool: index.ts and browser.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { runId, type SweepConfig } from '../contract/config.js';
import { DEFAULTS, validateStoredConfig } from '../contract/configure.js';
import { UsageError } from '../contract/errors.js';
import { type Environment, failedRecord, type RunRecord } from '../contract/record.js';
import { buildSweepResult, type SweepResult } from '../analysis/sweepResult.js';
import { BIN_SPEC } from '../engine/recording/histogram.js';
import type { FitModelTask, TensorData } from '../sweep/messages.js';
import { buildModel, disposeModel, loadBuilder } from './builder.js';
import type { FitPoolExecutor } from './fitPool.js';
import { modelLabel } from './modelInfo.js';

/** A tensor as sweepModel takes it: a tfjs tensor, or float32 values with their shape. */
export type TensorInput = tf.Tensor | TensorData;

/** Options of sweepModel. */
export interface SweepModelOptions {
  /** URL of an ES module whose default export (or `build`) is `(lr, { tf, tfl, seed }) => a compiled tfjs-layers model` */
  model: string;
  /** the training examples, and optionally validation examples (the record's test columns) */
  data: { x: TensorInput; y: TensorInput; validation?: { x: TensorInput; y: TensorInput } };
  lrs: number[];
  /** one run per learning rate and seed (default [1]); the builder gets the seed, and fluctlab shuffles with it */
  seeds?: number[];
  /** default 1 */
  epochs?: number;
  /** default 32; tfjs trains the last partial batch of an epoch too */
  batchSize?: number;
  /** a window every this many steps, or one per epoch ('epoch', the default) */
  windowSteps?: number | 'epoch';
  /** dead units on the first this many training examples (default 0: not counted) */
  probe?: number;
  /** participation threshold τ (default 0.1) */
  tau?: number;
  /** what the data is called in the records (`tfjs:<data>`; default 'data') */
  dataName?: string;
  /** workers at most (default 2; never more than runs) */
  workers?: number;
  /** Node only: a new or empty result folder for the records, sweep.json and the report */
  out?: string;
}

/** What sweepModel gives: the records in sweep order, their SweepResult, and the folder written (null without out). */
export interface SweepModelOutcome {
  records: RunRecord[];
  result: SweepResult;
  dir: string | null;
}

/** How a shell runs the sweep: start this thread's backend, open a pool, and (Node) a result folder. */
export interface ModelSweepHost {
  start(): Promise<Environment>;
  open(workers: number): FitPoolExecutor;
  /** the folder's manifest, before any run trains: a folder `out` that holds something is refused then */
  create?(dir: string, config: SweepConfig): void;
  /** the records, sweep.json and the report, when every run has ended */
  write?(dir: string, config: SweepConfig, records: RunRecord[], result: SweepResult): Promise<void>;
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const whole = (v: unknown, min: number): v is number => Number.isInteger(v) && (v as number) >= min;

function tensorData(t: TensorInput, name: string): TensorData {
  if (t instanceof tf.Tensor) return { values: Float32Array.from(t.dataSync()), shape: t.shape.slice() };
  if (t && t.values instanceof Float32Array && Array.isArray(t.shape)) return t;
  throw new UsageError(`data.${name} is not a tensor: pass a tf.Tensor or { values: Float32Array, shape }`);
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.map((d) => d ?? '?').join(',')}]`;

/** Checks that a tensor's values fill its shape and that it holds at least one example: a bad one would fail every run. */
function checkTensor(d: TensorData, name: string): void {
  const size = d.shape.reduce((n, k) => n * k, 1);
  if (d.shape.length < 1 || !d.shape.every((k) => whole(k, 1)))
    throw new UsageError(
      `data.${name} has shape ${JSON.stringify(d.shape)}: give a shape of whole sizes from 1, examples first`,
    );
  if (d.values.length !== size)
    throw new UsageError(
      `data.${name} has ${d.values.length} values but its shape ${shapeText(d.shape)} needs ${size}: give values and shape of the same tensor`,
    );
}

/** Checks that x and y pair one example each (a tfjs fit would gather past the shorter one's end in every run). */
function checkPair(x: TensorData, y: TensorData, prefix: string): void {
  if (x.shape[0] !== y.shape[0])
    throw new UsageError(
      `data.${prefix}x holds ${x.shape[0]} examples but data.${prefix}y holds ${y.shape[0]}: give x and y the same number of examples`,
    );
}

/** Checks that an example of `x` has the shape the model takes (its first input's shape past the batch). */
function checkInput(x: TensorData, name: string, model: tfl.LayersModel): void {
  const input = model.inputs[0]?.shape ?? [];
  const want = input.slice(1);
  const got = x.shape.slice(1);
  if (got.length !== want.length || want.some((k, i) => k !== null && k !== got[i]))
    throw new UsageError(
      `an example of data.${name} has shape ${shapeText(got)} but the model takes ${shapeText(want)}: reshape the data or build the model for it`,
    );
}

/** The config every record of the sweep carries. */
function sweepConfig(o: SweepModelOptions, optimizer: string): SweepConfig {
  const file = o.model
    .split(/[?#]/)[0]
    .split('/')
    .pop()!
    .replace(/\.[mc]?[jt]s$/, '');
  return validateStoredConfig({
    ...DEFAULTS,
    data: `tfjs:${o.dataName ?? 'data'}`,
    model: `tfjs:${modelLabel(file) || 'model'}`,
    optimizer: `tfjs:${optimizer}`,
    trainLimit: null,
    lrs: o.lrs,
    seeds: o.seeds ?? [1],
    epochs: o.epochs ?? 1,
    batch: o.batchSize ?? 32,
    windowSteps: typeof o.windowSteps === 'number' ? o.windowSteps : null,
    tau: o.tau ?? 0.1,
    probeSize: o.probe ?? 0,
    schedule: 'constant',
    weightDecay: 0,
    divergeFactor: null,
    // tfjs-layers' products are tfjs-wasm's own (XNNPACK's WASM SIMD: a multiply, then an add), not fluctlab's kernels
    arithmetic: 'exact',
  });
}

/** Runs the sweep on `host`. */
export async function runModelSweep(o: SweepModelOptions, host: ModelSweepHost): Promise<SweepModelOutcome> {
  if (!o || typeof o.model !== 'string' || o.model === '')
    throw new UsageError("model is not a module URL: pass e.g. new URL('./cnn.js', import.meta.url).href");
  if (!Array.isArray(o.lrs) || o.lrs.length === 0 || !o.lrs.every(positive))
    throw new UsageError(
      `lrs ${JSON.stringify(o.lrs)} is not a list of positive learning rates: e.g. lrs: [0.1, 0.01]`,
    );
  if (o.workers !== undefined && !whole(o.workers, 1))
    throw new UsageError(`workers ${JSON.stringify(o.workers)} is not a whole number from 1: e.g. workers: 2`);
  if (o.probe !== undefined && !whole(o.probe, 0))
    throw new UsageError(`probe ${JSON.stringify(o.probe)} is not a number of examples: e.g. probe: 100`);
  if (o.windowSteps !== undefined && o.windowSteps !== 'epoch' && !whole(o.windowSteps, 1))
    throw new UsageError(`windowSteps ${JSON.stringify(o.windowSteps)} is not a whole number from 1 or 'epoch'`);
  const x = tensorData(o.data?.x, 'x');
  const y = tensorData(o.data?.y, 'y');
  const v = o.data.validation;
  const validation = v ? { x: tensorData(v.x, 'validation.x'), y: tensorData(v.y, 'validation.y') } : null;
  // data every run would fail on is one line here, before a worker starts or a folder is written
  checkTensor(x, 'x');
  checkTensor(y, 'y');
  checkPair(x, y, '');
  if (validation) {
    checkTensor(validation.x, 'validation.x');
    checkTensor(validation.y, 'validation.y');
    checkPair(validation.x, validation.y, 'validation.');
  }
  const environment = await host.start();
  // every learning rate through the builder here, once, before any worker starts: its mistakes are one line each
  const build = await loadBuilder(o.model);
  let optimizer = '';
  for (const [i, lr] of o.lrs.entries()) {
    const model = await buildModel(o.model, build, lr, o.seeds?.[0] ?? 1);
    try {
      optimizer ||= model.optimizer.getClassName();
      // the examples against the model the first learning rate builds (every run builds the same model)
      if (i === 0) {
        checkInput(x, 'x', model);
        if (validation) checkInput(validation.x, 'validation.x', model);
      }
    } finally {
      disposeModel(model);
    }
  }
  const config = sweepConfig(o, optimizer);
  if (o.out) {
    if (!host.create || !host.write)
      throw new UsageError('out writes a result folder in Node only: leave it out in a browser');
    host.create(o.out, config);
  }
  const runs = config.lrs.flatMap((lr) => config.seeds.map((seed) => ({ lr, seed })));
  const pool = host.open(Math.min(o.workers ?? 2, runs.length));
  let records: RunRecord[];
  try {
    records = await Promise.all(
      runs.map((run) => {
        const task: FitModelTask = { module: o.model, ...run, config, x, y, validation, probe: config.probeSize };
        return pool.fit(task).catch((e: unknown) => {
          const why = e instanceof Error ? e.message : String(e);
          return failedRecord(config, { ...run, id: runId(run) }, why, environment, BIN_SPEC);
        });
      }),
    );
  } finally {
    await pool.close();
  }
  const result = buildSweepResult(config, records);
  if (o.out) await host.write!(o.out, config, records, result);
  return { records, result, dir: o.out ?? null };
}
