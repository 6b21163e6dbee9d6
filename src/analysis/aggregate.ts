/**
 * The aggregate of a sweep: RunRecords merged per learning rate and layer.
 *
 * - Histograms: counts added bin by bin on the shared edges (exact), per window
 *   and in total; records with other edges are refused (histogramMerge.ts).
 * - Statistics: each run contributes its last window's value; the aggregate is
 *   the mean and 95% t-interval over the seeds whose run ended `ok` (one seed:
 *   the value itself, no interval).
 * - Correlations: Spearman's ρ between each fluctuation measure and the outcome
 *   (test accuracy, or PSNR for autoencoders) over every `ok` run of the sweep
 *   (correlations.ts).
 * - The recommended band: the learning rates whose mean outcome is within one
 *   interval of the best one.
 * Diverged and failed runs are listed per learning rate with their status and
 * counted; they are left out of means, histograms and correlations because
 * their statistics stop at the divergence (or do not exist).
 *
 *     const agg = aggregate(config, records); // pure; buildSweepResult stores it in sweep.json
 */
import type { SweepConfig } from '../contract/config.js';
import type { BinSpec } from '../contract/record.js';
import type { TensorFluctuation } from '../contract/windowRecord.js';
import type { RunRecord, RunStatus } from '../contract/record.js';
import { checkAnalysisArgs } from './checkArgs.js';
import { meanInterval, type Interval } from './stats.js';
import { checkBins, mergeHistograms, type MergedHistogram } from './histogramMerge.js';
import {
  correlations,
  type MeasureCorrelation,
  runOutcome,
  TENSOR_MEASURES,
  type TensorMeasure,
} from './correlations.js';

/** One tensor's (weights' or biases') statistics at one learning rate: mean and interval over seeds. */
export type TensorAggregate = Record<TensorMeasure, Interval | null>;

/** One layer at one learning rate. */
export interface LayerAggregate {
  layer: string;
  units: number;
  weights: TensorAggregate;
  biases: TensorAggregate;
  deadUnits: Interval | null;
  histogram: { weights: MergedHistogram; biases: MergedHistogram };
}

/** One run as the aggregate lists it, whatever its status. */
export interface RunOutcome {
  id: string;
  seed: number;
  status: RunStatus;
  outcome: number | null;
  divergedAtStep: number | null;
  divergedBy?: 'non-finite' | 'explosion' | null;
  error: string | null;
}

/** Everything at one learning rate. */
export interface LrAggregate {
  lr: number;
  runs: RunOutcome[];
  counts: Record<RunStatus, number>;
  /** test accuracy (or PSNR) over the ok runs */
  outcome: Interval | null;
  testLoss: Interval | null;
  /** per epoch, over the ok runs */
  epochs: { epoch: number; trainLoss: Interval | null; testLoss: Interval | null; outcome: Interval | null }[];
  /** per recording window, over the ok runs */
  windows: { index: number; startStep: number; endStep: number; trainLoss: Interval | null }[];
  layers: LayerAggregate[];
}

/** The learning rates whose mean outcome is at least the best one's lower 95% bound. */
export interface LrBand {
  best: number;
  lrs: number[];
  min: number;
  max: number;
  /** the outcome a learning rate must reach to be in the band (best mean − best half-width) */
  threshold: number;
}

/** The whole aggregate, stored as `aggregate` in sweep.json. */
export interface SweepAggregate {
  outcome: { field: 'testAccuracy' | 'testPsnr'; label: string; unit: string };
  method: {
    statistic: string;
    interval: string;
    correlation: string;
    /** how the tests beyond η separate a measure from the learning rate (absent in sweep.json written before them) */
    beyondLr?: string;
    band: string;
  };
  lrs: LrAggregate[];
  correlations: MeasureCorrelation[];
  /** null when no learning rate has an ok run on every seed */
  band: LrBand | null;
  bins: BinSpec | null;
}

const METHOD = {
  statistic: "each run's last recording window; diverged and failed runs are listed and counted but not averaged",
  interval: 'mean ± t(0.975, n−1)·s/√n over seeds (Student t, 95%); with one seed lo = hi = the value (no interval)',
  correlation:
    "Spearman's ρ on average ranks (ties) over all ok runs; two-sided p: exact permutation test for n ≤ 8, else t = ρ√((n−2)/(1−ρ²)) with n−2 df",
  beyondLr:
    "the raw ρ can be η restated, since every size of Δ grows with η: the partial ρ is Spearman's ρ of the measure and the outcome once the ranks of log η are regressed out of both, and the within-η ρ correlates each run's ranks among the seeds of its own learning rate (learning rates with 3 or more ok seeds, pooled; df = N − G − 1), so it asks whether a run that fluctuated more than its siblings ended better; p from t with their degrees of freedom, a claim only where p < 0.05 (or, for a size, where the 95% interval of the measure's coefficient leaves out 0 in outcome ~ η + measure, η held by one mean per learning rate where seeds repeat it, else by a line in log η)",
  band: "learning rates where every seed ended ok and whose mean outcome ≥ the best learning rate's lower 95% bound (its mean when there is one seed)",
};

/** Interval over the finite values among `values` (null when none is finite). */
function over(values: readonly (number | null | undefined)[]): Interval | null {
  return meanInterval(values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
}

function tensorAggregate(tensors: readonly TensorFluctuation[]): TensorAggregate {
  const out = {} as TensorAggregate;
  for (const m of TENSOR_MEASURES) out[m] = over(tensors.map((t) => t[m]));
  return out;
}

function lrAggregate(lr: number, runs: readonly RunRecord[], field: 'testAccuracy' | 'testPsnr'): LrAggregate {
  const ok = runs.filter((r) => r.status === 'ok');
  const counts: Record<RunStatus, number> = { ok: 0, diverged: 0, failed: 0 };
  for (const r of runs) counts[r.status]++;
  const epochCount = Math.max(0, ...ok.map((r) => r.epochs.length));
  const windowRef = ok.reduce<RunRecord | null>((a, r) => (a && a.windows.length >= r.windows.length ? a : r), null);
  const layerNames = windowRef?.windows[windowRef.windows.length - 1]?.layers ?? [];
  return {
    lr,
    runs: runs.map((r) => ({
      id: r.id,
      seed: r.seed,
      status: r.status,
      outcome: runOutcome(r, field),
      divergedAtStep: r.divergedAtStep,
      divergedBy: r.divergedBy,
      error: r.error,
    })),
    counts,
    outcome: over(ok.map((r) => runOutcome(r, field))),
    testLoss: over(ok.map((r) => r.testLoss)),
    epochs: Array.from({ length: epochCount }, (_, e) => ({
      epoch: e + 1,
      trainLoss: over(ok.map((r) => r.epochs[e]?.trainLoss)),
      testLoss: over(ok.map((r) => r.epochs[e]?.testLoss)),
      outcome: over(ok.map((r) => r.epochs[e]?.[field === 'testAccuracy' ? 'testAccuracy' : 'testPsnr'])),
    })),
    windows: (windowRef?.windows ?? []).map((w, i) => ({
      index: w.index,
      startStep: w.startStep,
      endStep: w.endStep,
      trainLoss: over(ok.map((r) => r.windows[i]?.trainLoss)),
    })),
    layers: layerNames.map((ref, li) => {
      const last = ok.map((r) => r.windows[r.windows.length - 1].layers[li]);
      return {
        layer: ref.layer,
        units: ref.units,
        weights: tensorAggregate(last.map((l) => l.weights)),
        biases: tensorAggregate(last.map((l) => l.biases)),
        deadUnits: over(last.map((l) => l.deadUnits)),
        histogram: {
          weights: mergeHistograms(ok.map((r) => r.windows.map((w) => w.layers[li].weights.histogram))),
          biases: mergeHistograms(ok.map((r) => r.windows.map((w) => w.layers[li].biases.histogram))),
        },
      };
    }),
  };
}

/** The recommended band: learning rates with every seed ok whose mean outcome reaches the best one's lower bound. */
export function recommendedBand(lrs: readonly LrAggregate[]): LrBand | null {
  const eligible = lrs.filter((a) => a.outcome !== null && a.counts.ok === a.runs.length);
  if (eligible.length === 0) return null;
  const best = eligible.reduce((a, b) => (b.outcome!.mean > a.outcome!.mean ? b : a));
  const threshold = best.outcome!.lo;
  const inBand = eligible.filter((a) => a.outcome!.mean >= threshold).map((a) => a.lr);
  return {
    best: best.lr,
    lrs: inBand.sort((a, b) => a - b),
    min: Math.min(...inBand),
    max: Math.max(...inBand),
    threshold,
  };
}

/**
 * Merges a sweep's RunRecords (in sweep order) into its aggregate: per learning rate and layer, means and 95% intervals
 * over seeds, merged histograms, the correlations with the outcome and the recommended band. Throws UsageError on
 * records that cannot be merged (other histogram bins). buildSweepResult calls it.
 *
 *     const { lrs, band } = aggregate(config, records); // lrs[i].outcome: the i-th learning rate's accuracy (or PSNR) over seeds
 */
export function aggregate(config: SweepConfig, records: readonly RunRecord[]): SweepAggregate {
  checkAnalysisArgs(config, records);
  const bins = checkBins(records);
  const reconstruction = records.some((r) => r.task === 'reconstruction');
  const field = reconstruction ? 'testPsnr' : 'testAccuracy';
  const lrs = config.lrs.map((lr) =>
    lrAggregate(
      lr,
      records.filter((r) => r.lr === lr),
      field,
    ),
  );
  return {
    outcome: reconstruction
      ? { field, label: 'test PSNR', unit: 'dB' }
      : { field, label: 'test accuracy', unit: 'fraction correct' },
    method: METHOD,
    lrs,
    correlations: correlations(records, field, reconstruction ? 'test PSNR' : 'test accuracy'),
    band: recommendedBand(lrs),
    bins,
  };
}
