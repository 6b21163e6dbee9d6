/**
 * The fluctuation measures of a sweep's aggregate and how they go with the outcome: the scalar statistics of a tensor
 * it reports per learning rate (`TENSOR_MEASURES`), a run's outcome (`runOutcome`: test accuracy, or PSNR for
 * autoencoders), and per layer, for each measure in `CORRELATED`, over every `ok` run of the sweep (`correlations`):
 * Spearman's ρ with the outcome (raw), and what the measure says beyond η (separation.ts): Spearman's partial ρ on
 * log η, the across-seed ρ at fixed η pooled over the learning rates with 3 or more ok seeds, the coefficient of a
 * regression of the outcome on log η and the measure, and a sentence that claims only what those tests support
 * (claims.ts). Diverged and failed runs are left out: their statistics stop at the divergence (or do not exist).
 *
 *     const rhos = correlations(records, 'testAccuracy', 'test accuracy'); // one MeasureCorrelation per layer and measure
 */
import type { RunRecord } from '../contract/record.js';
import { detLog } from '../engine/detMath.js';
import { claimSentence } from './claims.js';
import {
  type MeasureCoefficient,
  partialSpearman,
  regressOnLogLr,
  type TestedCorrelation,
  withinGroupSpearman,
} from './separation.js';
import { spearman, type PValueMethod } from './stats.js';

/** Scalar statistics of a tensor that are aggregated and correlated (from TensorFluctuation). */
export const TENSOR_MEASURES = [
  'meanAbs',
  'rms',
  'maxAbs',
  'spreadOfSpread',
  'spreadCv',
  'participating',
  'participationRatio',
  'effectiveNeurons',
  'effectiveRms',
  'updateRatio',
  'weightNorm',
] as const;
/** A scalar statistic of a tensor that the aggregate reports per learning rate and correlates with the outcome. */
export type TensorMeasure = (typeof TENSOR_MEASURES)[number];

/** Spearman correlation of one measure of one layer with the outcome, across the sweep's ok runs. */
export interface MeasureCorrelation {
  layer: string;
  tensor: 'weights' | 'biases';
  measure: TensorMeasure | 'deadUnits';
  rho: number | null;
  p: number | null;
  n: number;
  method: PValueMethod;
  /** Spearman's partial ρ with the outcome given log η (absent in sweep.json written before it) */
  partial?: TestedCorrelation;
  /** Spearman's ρ across seeds at fixed η, pooled over the learning rates with 3 or more ok seeds */
  withinLr?: TestedCorrelation & { groups: number };
  /** the measure's coefficient in outcome ~ log η + measure, with its 95% interval; null when it cannot be fitted */
  regression?: MeasureCoefficient | null;
  /** what the tests support, in one sentence */
  claim?: string;
}

/** The measures correlated with the outcome, per layer. */
export const CORRELATED: { tensor: 'weights' | 'biases'; measure: TensorMeasure | 'deadUnits' }[] = [
  { tensor: 'weights', measure: 'rms' },
  { tensor: 'biases', measure: 'rms' },
  { tensor: 'weights', measure: 'effectiveRms' },
  { tensor: 'weights', measure: 'updateRatio' },
  { tensor: 'weights', measure: 'participating' },
  { tensor: 'weights', measure: 'participationRatio' },
  { tensor: 'weights', measure: 'spreadOfSpread' },
  { tensor: 'weights', measure: 'spreadCv' },
  { tensor: 'weights', measure: 'deadUnits' },
];

/** The outcome of a run: test accuracy (classifier) or PSNR (autoencoder); null when missing or non-finite. */
export function runOutcome(r: RunRecord, field: 'testAccuracy' | 'testPsnr'): number | null {
  const v = r[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Spearman ρ of every correlated measure of every layer with the outcome over all ok runs with both values, and the
 * tests beyond η with their sentence (`label`: the outcome's name in it).
 */
export function correlations(
  records: readonly RunRecord[],
  field: 'testAccuracy' | 'testPsnr',
  label = field === 'testAccuracy' ? 'test accuracy' : 'test PSNR',
): MeasureCorrelation[] {
  const ok = records.filter((r) => r.status === 'ok' && r.windows.length > 0);
  const layers = ok[0]?.windows[ok[0].windows.length - 1].layers.map((l) => l.layer) ?? [];
  const out: MeasureCorrelation[] = [];
  for (const layer of layers) {
    for (const { tensor, measure } of CORRELATED) {
      const lastOf = (r: RunRecord) => r.windows[r.windows.length - 1].layers.find((l) => l.layer === layer);
      if (measure === 'deadUnits' && ok.every((r) => lastOf(r)?.deadUnits == null)) continue;
      const xs: number[] = [];
      const ys: number[] = [];
      const lrs: number[] = [];
      for (const r of ok) {
        const l = lastOf(r);
        const x = l ? (measure === 'deadUnits' ? l.deadUnits : l[tensor][measure]) : null;
        const y = runOutcome(r, field);
        if (typeof x === 'number' && Number.isFinite(x) && y !== null && r.lr > 0) {
          xs.push(x);
          ys.push(y);
          lrs.push(r.lr);
        }
      }
      // a measure that older records lack: nothing to correlate, no row
      if (xs.length === 0 && ok.some((r) => lastOf(r)?.[tensor][measure as keyof LayerTensor] === undefined)) continue;
      const logLr = lrs.map(detLog);
      const c = {
        layer,
        tensor,
        measure,
        ...spearman(xs, ys),
        partial: partialSpearman(xs, ys, logLr),
        withinLr: withinGroupSpearman(xs, ys, lrs),
        regression: regressOnLogLr(ys, logLr, xs),
      };
      out.push({ ...c, claim: claimSentence(c, label, field) });
    }
  }
  return out;
}

type LayerTensor = RunRecord['windows'][number]['layers'][number]['weights'];
