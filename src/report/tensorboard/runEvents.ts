/**
 * What a sweep looks like in TensorBoard: one event stream per RunRecord and
 * one for the experiment (the hparams plugin's list of hyper-parameters and
 * metrics). Pure: records in, encoded events out; src/store/tensorboardExport.ts
 * writes them as files.
 *
 * Tags (step = the optimizer step a value belongs to: a window's or an epoch's last step):
 *   train/loss, train/learning_rate                          per recording window
 *   test/loss, test/accuracy (or test/psnr)                 per epoch
 *   <layer>/{weights,biases}/{rms_delta, participating, participation_ratio, spread_of_spread}   per window
 *   <layer>/dead_units                                      per window (hidden layers)
 *   <layer>/{weights,biases}/delta                          Δ histogram per window, on the shared bins
 *   <layer>/{weights,biases}/{effective_rms, update_ratio, norm}   per window (the η-free measures)
 *   hparams/test_accuracy (or hparams/test_psnr), hparams/test_loss   final values, the HPARAMS tab's metrics
 *   hparams/<layer>/{effective_rms, update_ratio, rms_delta, participation_ratio, spread_of_spread}   final, weights (hparamsMetrics.ts)
 *
 *     const events = runEvents(record); // Uint8Array[] to frame into an events file
 */
import type { SweepConfig } from '../../contract/config.js';
import { binRanges } from '../../engine/recording/histogram.js';
import type { TensorFluctuation, WindowRecord } from '../../contract/windowRecord.js';
import type { RunRecord } from '../../contract/record.js';
import {
  experimentEvent,
  fileVersionEvent,
  histogramEvent,
  scalarEvent,
  sessionEndEvent,
  sessionStartEvent,
  SESSION_STATUS,
  type HParamDomain,
  type Histogram,
  type HParamValue,
} from './events.js';
import { finalFluctuationMetrics, fluctuationMetricSpecs } from './hparamsMetrics.js';

/** The final metrics of the HPARAMS tab for a task. */
export function metricTags(task: RunRecord['task']): { outcome: string; loss: string } {
  return {
    outcome: task === 'reconstruction' ? 'hparams/test_psnr' : 'hparams/test_accuracy',
    loss: 'hparams/test_loss',
  };
}

/** A run's hyper-parameters as the HPARAMS tab lists them. */
export function runHParams(r: Pick<RunRecord, 'lr' | 'seed' | 'config'>): Record<string, HParamValue> {
  const c = r.config;
  return {
    lr: r.lr,
    seed: r.seed,
    optimizer: c.optimizer,
    model: c.model,
    batch: c.batch,
    epochs: c.epochs,
    data: c.data,
    schedule: c.schedule ?? 'constant',
    weight_decay: c.weightDecay ?? 0,
  };
}

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Bucket right edges: the shared bins' upper edges, DBL_MAX for the positive overflow bin. */
export function bucketLimits(): number[] {
  return binRanges().map((b) => (b.hi === Infinity ? Number.MAX_VALUE : b.hi));
}

/**
 * A window's Δ histogram as a HistogramProto, trimmed to its non-empty bucket range (the buckets from the first to the
 * last non-empty one, inner empty buckets kept, so every count is exact), as TensorFlow's own writer leaves out empty
 * end buckets: TensorBoard then spans the Δ seen rather than the shared bins' ±16. Null when its moments are not finite
 * (a diverging window), were not recorded, or no Δ was counted.
 */
export function deltaHistogram(t: TensorFluctuation, limits: number[]): Histogram | null {
  if (!isNum(t.min) || !isNum(t.max) || !isNum(t.sum) || !isNum(t.sumSquares)) return null;
  const first = t.histogram.findIndex((c) => c > 0);
  if (first < 0) return null;
  let last = t.histogram.length - 1;
  while (t.histogram[last] === 0) last--;
  // every Δ lands in exactly one bin, so the counts add up to steps × elements
  return {
    min: t.min,
    max: t.max,
    num: t.histogram.reduce((a, b) => a + b, 0),
    sum: t.sum,
    sumSquares: t.sumSquares,
    bucketLimit: limits.slice(first, last + 1),
    bucket: t.histogram.slice(first, last + 1),
  };
}

/** When a run started training, in seconds since the epoch: its end less its training time. */
export function runStartSeconds(r: RunRecord): number {
  return Date.parse(r.timing.finishedAt) / 1000 - r.timing.trainSeconds;
}

/** The events a run's file opens with, at `wallTime`: the file version and the hparams session's start. */
export function runHeadEvents(r: Pick<RunRecord, 'id' | 'lr' | 'seed' | 'config'>, wallTime: number): Uint8Array[] {
  return [fileVersionEvent(wallTime), sessionStartEvent(wallTime, runHParams(r), r.id)];
}

/** A closed window's events, at `wallTime`: its scalars and Δ histograms at its last step. */
export function windowEvents(w: WindowRecord, wallTime: number, limits = bucketLimits()): Uint8Array[] {
  const out: Uint8Array[] = [];
  const s = w.endStep;
  const scalar = (tag: string, v: number | null | undefined) => {
    if (isNum(v)) out.push(scalarEvent(wallTime, s, tag, v));
  };
  scalar('train/loss', w.trainLoss);
  scalar('train/learning_rate', w.lr);
  for (const l of w.layers) {
    for (const [part, t] of [
      ['weights', l.weights],
      ['biases', l.biases],
    ] as const) {
      scalar(`${l.layer}/${part}/rms_delta`, t.rms);
      scalar(`${l.layer}/${part}/participating`, t.participating);
      scalar(`${l.layer}/${part}/participation_ratio`, t.participationRatio);
      scalar(`${l.layer}/${part}/spread_of_spread`, t.spreadOfSpread);
      scalar(`${l.layer}/${part}/effective_rms`, t.effectiveRms);
      scalar(`${l.layer}/${part}/update_ratio`, t.updateRatio);
      scalar(`${l.layer}/${part}/norm`, t.weightNorm);
      const h = deltaHistogram(t, limits);
      if (h) out.push(histogramEvent(wallTime, s, `${l.layer}/${part}/delta`, h));
    }
    scalar(`${l.layer}/dead_units`, l.deadUnits);
  }
  return out;
}

/**
 * The events that end a run's file, once its record exists: the test scalars of each epoch, the HPARAMS tab's final
 * metrics, and the session's end (`end`); `at(step)` is the wall time of a step.
 */
export function runTailEvents(r: RunRecord, at: (step: number) => number, end: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const scalar = (step: number, tag: string, v: number | null | undefined) => {
    if (isNum(v)) out.push(scalarEvent(at(step), step, tag, v));
  };
  const perEpoch = r.epochs.length > 0 ? r.steps / r.epochs.length : 0;
  r.epochs.forEach((e, i) => {
    const s = e.endStep ?? Math.round(perEpoch * (i + 1));
    scalar(s, 'test/loss', e.testLoss);
    scalar(
      s,
      r.task === 'reconstruction' ? 'test/psnr' : 'test/accuracy',
      r.task === 'reconstruction' ? e.testPsnr : e.testAccuracy,
    );
  });
  const tags = metricTags(r.task);
  scalar(r.steps, tags.outcome, r.task === 'reconstruction' ? r.testPsnr : r.testAccuracy);
  scalar(r.steps, tags.loss, r.testLoss);
  for (const [tag, v] of finalFluctuationMetrics(r)) scalar(r.steps, tag, v);
  out.push(sessionEndEvent(end, r.status === 'ok' ? SESSION_STATUS.success : SESSION_STATUS.failure));
  return out;
}

/**
 * Every event of one run's file, first the file version: head, windows, tail, with wall times spread over the run's
 * training time (the record keeps when it finished and how long it trained, not when each window closed). A live log
 * (store/tensorboardLive.ts) writes the same events in the same order as they happen, each at its own wall time.
 */
export function runEvents(r: RunRecord): Uint8Array[] {
  const total = Math.max(1, r.steps);
  const start = runStartSeconds(r);
  const end = start + r.timing.trainSeconds;
  const at = (step: number) => start + (r.timing.trainSeconds * step) / total;
  const limits = bucketLimits();
  return [
    ...runHeadEvents(r, start),
    ...r.windows.flatMap((w) => windowEvents(w, at(w.endStep), limits)),
    ...runTailEvents(r, at, end),
  ];
}

/** The experiment's event file: the sweep's hyper-parameters with the values they took, and the final metrics. */
export function experimentEvents(config: SweepConfig, records: readonly RunRecord[], wallTime: number): Uint8Array[] {
  const distinct = <T extends HParamValue>(vs: T[]) => [...new Set(vs)];
  const rows = records.map(runHParams);
  const describe: Record<string, string> = {
    lr: 'peak learning rate of the run',
    seed: 'initialisation and batch-order seed',
    optimizer: 'optimizer',
    model: 'model spec',
    batch: 'batch size',
    epochs: 'epochs',
    data: 'data set',
    schedule: 'learning-rate schedule',
    weight_decay: 'weight decay',
  };
  const hparams: HParamDomain[] = Object.keys(describe).map((name) => ({
    name,
    description: describe[name],
    values: distinct(rows.map((h) => h[name])),
  }));
  const task = records[0]?.task ?? 'classification';
  const tags = metricTags(task);
  const metrics = [
    {
      tag: tags.outcome,
      displayName: task === 'reconstruction' ? 'test PSNR (dB)' : 'test accuracy',
      description: 'at the end of training',
    },
    {
      tag: tags.loss,
      displayName: 'test loss',
      description:
        task === 'reconstruction'
          ? 'reconstruction MSE at the end of training'
          : 'cross-entropy at the end of training',
    },
    ...fluctuationMetricSpecs(records),
  ];
  return [
    fileVersionEvent(wallTime),
    experimentEvent(
      wallTime,
      `fluctlab sweep (${config.model}, ${config.optimizer}, ${config.data})`,
      hparams,
      metrics,
    ),
  ];
}
