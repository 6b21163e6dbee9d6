/**
 * The fluctuation measures of a sweep's aggregate and how they go with the outcome: the scalar statistics of a tensor
 * it reports per learning rate (`TENSOR_MEASURES`), a run's outcome (`runOutcome`: test accuracy, or PSNR for
 * autoencoders), and Spearman's ρ between each measure in `CORRELATED` and the outcome over every `ok` run of the
 * sweep, per layer (`correlations`; stats.ts computes ρ and its p-value). Diverged and failed runs are left out: their
 * statistics stop at the divergence (or do not exist).
 *
 *     const rhos = correlations(records, 'testAccuracy'); // one MeasureCorrelation per layer and correlated measure
 */
import type { RunRecord } from '../contract/record.js';
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
}

/** The measures correlated with the outcome, per layer. */
export const CORRELATED: { tensor: 'weights' | 'biases'; measure: TensorMeasure | 'deadUnits' }[] = [
  { tensor: 'weights', measure: 'rms' },
  { tensor: 'biases', measure: 'rms' },
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

/** Spearman ρ of every correlated measure of every layer with the outcome, over all ok runs with both values. */
export function correlations(records: readonly RunRecord[], field: 'testAccuracy' | 'testPsnr'): MeasureCorrelation[] {
  const ok = records.filter((r) => r.status === 'ok' && r.windows.length > 0);
  const layers = ok[0]?.windows[ok[0].windows.length - 1].layers.map((l) => l.layer) ?? [];
  const out: MeasureCorrelation[] = [];
  for (const layer of layers) {
    for (const { tensor, measure } of CORRELATED) {
      if (
        measure === 'deadUnits' &&
        ok.every((r) => r.windows[r.windows.length - 1].layers.find((l) => l.layer === layer)?.deadUnits == null)
      )
        continue;
      const xs: number[] = [];
      const ys: number[] = [];
      for (const r of ok) {
        const l = r.windows[r.windows.length - 1].layers.find((x) => x.layer === layer);
        const x = l ? (measure === 'deadUnits' ? l.deadUnits : l[tensor][measure]) : null;
        const y = runOutcome(r, field);
        if (typeof x === 'number' && Number.isFinite(x) && y !== null) {
          xs.push(x);
          ys.push(y);
        }
      }
      out.push({ layer, tensor, measure, ...spearman(xs, ys) });
    }
  }
  return out;
}
