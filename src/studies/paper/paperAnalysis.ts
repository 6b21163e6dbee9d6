/**
 * The paper's view of a study, computed from RunRecords: per learning rate the
 * final outcome, participating, active and dead neurons, spread of the spread,
 * mean fluctuation (each a mean with a 95% t-interval over seeds), loss curves,
 * per-neuron fluctuations, gradient norms, reconstructions; then which of the
 * paper's two claims the numbers support. Pure and JSON-safe.
 *
 * Definitions (ours; the paper does not publish its formulas):
 *   - hidden layers: every layer but the output layer;
 *   - participating neurons: Σ over hidden layers of #{j : f_j ≥ τ·mean f} (the
 *     recorder's definition, weights, last window); effective neurons Σ N·PR;
 *   - active neurons: Σ over hidden layers of #{j : a_j ≥ τ·mean_k a_k}, a_j the
 *     unit's mean activation on the probe batch at the end of training;
 *     nearly inactive = hidden units − active (dead units included);
 *   - spread of the spread: mean over all layers of S = std_j s_j (weights, last window);
 *   - mean fluctuation: mean over all layers of mean_j f_j (weights, last window);
 *   - free of η's scale (docs/metrics.md): the effective step RMS Δ/η and the update-to-weight ratio ‖Δ‖/‖W‖, each
 *     the mean over all layers of the weights' value in the last window (null for records without them).
 *
 *     const a = analyseStudy(records, 0.1); const c = paperClaims(a);
 */
import type { Reconstructions } from '../../contract/record.js';
import type { LayerWindow } from '../../contract/windowRecord.js';
import type { RunRecord } from '../../contract/record.js';
import { meanInterval, type Interval } from '../../analysis/stats.js';

/** One layer of one learning rate, over seeds (last window). */
export interface LayerStudy {
  layer: string;
  units: number;
  hidden: boolean;
  spreadOfSpread: Interval | null;
  meanFluctuation: Interval | null;
  participating: Interval | null;
  active: Interval | null;
  dead: Interval | null;
  /** per-neuron fluctuation f_j of every seed, pooled (for histograms) */
  neuronFluctuation: number[];
  /** per window (by index): mean over seeds of ‖∇W‖₂ on the probe batch, with the window's end step */
  gradientNorm: { endStep: number; weights: number; biases: number }[];
}

/** One learning rate over its seeds. */
export interface LrStudy {
  lr: number;
  task: 'classification' | 'reconstruction';
  runs: number;
  ok: number;
  diverged: number;
  failed: number;
  epochs: number;
  steps: number;
  hiddenUnits: number;
  mse: Interval | null;
  psnr: Interval | null;
  accuracy: Interval | null;
  participating: Interval | null;
  effectiveNeurons: Interval | null;
  active: Interval | null;
  inactive: Interval | null;
  dead: Interval | null;
  spreadOfSpread: Interval | null;
  meanFluctuation: Interval | null;
  /** mean over layers of the weights' effective step RMS Δ/η (last window); null for records without it */
  effectiveRms: Interval | null;
  /** mean over layers of the weights' update-to-weight ratio ‖Δ‖/‖W‖ (last window); null for records without it */
  updateRatio: Interval | null;
  layers: LayerStudy[];
  /** test loss per epoch: mean and interval over seeds */
  lossCurve: { epoch: number; mean: number; lo: number; hi: number }[];
  /** the lowest ok seed's reconstructions (autoencoders) */
  reconstructions: Reconstructions | null;
  /** per ok run, for scatter plots: outcome, effective neurons and spread of the spread */
  perRun: {
    seed: number;
    outcome: number;
    participating: number;
    effectiveNeurons: number;
    active: number | null;
    /** null where a layer's last window was too short (under 2 steps) to define S */
    spreadOfSpread: number | null;
  }[];
}

/** A study's analysis: one entry per learning rate, in decreasing order. */
export interface StudyAnalysis {
  task: 'classification' | 'reconstruction';
  tau: number;
  lrs: LrStudy[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const avg = (xs: number[]) => (xs.length ? sum(xs) / xs.length : 0);

/** Active units of a hidden layer: mean probe activation ≥ τ · the layer's mean of them; null without activations. */
export function activeUnits(meanActivation: readonly number[] | null | undefined, tau: number): number | null {
  if (!meanActivation) return null;
  const m = avg([...meanActivation]);
  if (!(m > 0)) return 0;
  return meanActivation.filter((a) => a >= tau * m).length;
}

function interval(xs: (number | null)[]): Interval | null {
  if (xs.some((x) => x === null || !Number.isFinite(x))) return null;
  return meanInterval(xs as number[]);
}

/** The per-run numbers the analysis is built from (last window). */
function runNumbers(r: RunRecord, tau: number) {
  const last = r.windows[r.windows.length - 1];
  const layers = last?.layers ?? [];
  const hidden = layers.slice(0, -1);
  const actives = hidden.map((l) => activeUnits(l.meanActivation, tau));
  const active = actives.some((a) => a === null) ? null : sum(actives as number[]);
  const hiddenUnits = sum(hidden.map((l) => l.units));
  return {
    layers,
    hiddenUnits,
    outcome: r.task === 'reconstruction' ? r.testLoss : r.testAccuracy,
    participating: sum(hidden.map((l) => l.weights.participating)),
    effectiveNeurons: sum(hidden.map((l) => l.weights.effectiveNeurons)),
    active,
    inactive: active === null ? null : hiddenUnits - active,
    dead: hidden.some((l) => l.deadUnits === null) ? null : sum(hidden.map((l) => l.deadUnits as number)),
    spreadOfSpread: layers.some((l) => l.weights.spreadOfSpread === null)
      ? null
      : avg(layers.map((l) => l.weights.spreadOfSpread as number)),
    meanFluctuation: avg(layers.map((l) => avg(l.weights.neuronFluctuation))),
    effectiveRms: layerMean(layers.map((l) => l.weights.effectiveRms)),
    updateRatio: layerMean(layers.map((l) => l.weights.updateRatio)),
  };
}

/** The mean over layers of a measure; null when a layer lacks it (older records) or has none. */
function layerMean(xs: (number | null | undefined)[]): number | null {
  return xs.length > 0 && xs.every((x) => typeof x === 'number') ? avg(xs as number[]) : null;
}

function layerStudy(name: string, index: number, hidden: boolean, runs: RunRecord[], tau: number): LayerStudy {
  const at = (r: RunRecord, w: number): LayerWindow | undefined => r.windows[w]?.layers[index];
  const last = runs.map((r) => at(r, r.windows.length - 1)!);
  const windows = Math.min(...runs.map((r) => r.windows.length));
  const gradientNorm: LayerStudy['gradientNorm'] = [];
  for (let w = 0; w < windows; w++) {
    const g = runs.map((r) => at(r, w)?.gradientNorm ?? null);
    if (g.some((x) => x === null)) continue;
    gradientNorm.push({
      endStep: runs[0].windows[w].endStep,
      weights: avg(g.map((x) => x!.weights)),
      biases: avg(g.map((x) => x!.biases)),
    });
  }
  return {
    layer: name,
    units: last[0].units,
    hidden,
    spreadOfSpread: interval(last.map((l) => l.weights.spreadOfSpread)),
    meanFluctuation: interval(last.map((l) => avg(l.weights.neuronFluctuation))),
    participating: interval(last.map((l) => l.weights.participating)),
    active: hidden ? interval(last.map((l) => activeUnits(l.meanActivation, tau))) : null,
    dead: hidden ? interval(last.map((l) => l.deadUnits)) : null,
    neuronFluctuation: last.flatMap((l) => l.weights.neuronFluctuation),
    gradientNorm,
  };
}

/** Analyses one learning rate's runs (any statuses; statistics over the 'ok' ones). */
export function analyseLr(lr: number, records: RunRecord[], tau: number): LrStudy {
  const ok = records.filter((r) => r.status === 'ok' && r.windows.length > 0).sort((a, b) => a.seed - b.seed);
  const task = records[0]?.task ?? 'reconstruction';
  const nums = ok.map((r) => runNumbers(r, tau));
  const epochsOf = (r: RunRecord) => r.config.epochs;
  const curveLength = ok.length ? Math.min(...ok.map((r) => r.epochs.length)) : 0;
  const lossCurve: LrStudy['lossCurve'] = [];
  for (let e = 0; e < curveLength; e++) {
    const iv = interval(ok.map((r) => r.epochs[e].testLoss));
    if (iv) lossCurve.push({ epoch: e + 1, mean: iv.mean, lo: iv.lo, hi: iv.hi });
  }
  const layerNames = nums[0]?.layers.map((l) => l.layer) ?? [];
  return {
    lr,
    task,
    runs: records.length,
    ok: ok.length,
    diverged: records.filter((r) => r.status === 'diverged').length,
    failed: records.filter((r) => r.status === 'failed').length,
    epochs: records.length ? epochsOf(records[0]) : 0,
    steps: ok[0]?.steps ?? 0,
    hiddenUnits: nums[0]?.hiddenUnits ?? 0,
    mse: task === 'reconstruction' ? interval(ok.map((r) => r.testLoss)) : null,
    psnr: task === 'reconstruction' ? interval(ok.map((r) => r.testPsnr)) : null,
    accuracy: task === 'classification' ? interval(ok.map((r) => r.testAccuracy)) : null,
    participating: interval(nums.map((n) => n.participating)),
    effectiveNeurons: interval(nums.map((n) => n.effectiveNeurons)),
    active: interval(nums.map((n) => n.active)),
    inactive: interval(nums.map((n) => n.inactive)),
    dead: interval(nums.map((n) => n.dead)),
    spreadOfSpread: interval(nums.map((n) => n.spreadOfSpread)),
    meanFluctuation: interval(nums.map((n) => n.meanFluctuation)),
    effectiveRms: interval(nums.map((n) => n.effectiveRms)),
    updateRatio: interval(nums.map((n) => n.updateRatio)),
    layers: layerNames.map((name, i) => layerStudy(name, i, i < layerNames.length - 1, ok, tau)),
    lossCurve,
    reconstructions: ok.find((r) => r.reconstructions)?.reconstructions ?? null,
    perRun: ok.map((r, i) => ({
      seed: r.seed,
      outcome: nums[i].outcome ?? NaN,
      participating: nums[i].participating,
      effectiveNeurons: nums[i].effectiveNeurons,
      active: nums[i].active,
      spreadOfSpread: nums[i].spreadOfSpread,
    })),
  };
}

/** Analyses a study's records, grouped by learning rate (largest first). */
export function analyseStudy(records: RunRecord[], tau: number): StudyAnalysis {
  const lrs = [...new Set(records.map((r) => r.lr))].sort((a, b) => b - a);
  const study = lrs.map((lr) =>
    analyseLr(
      lr,
      records.filter((r) => r.lr === lr),
      tau,
    ),
  );
  return { task: records[0]?.task ?? 'reconstruction', tau, lrs: study };
}
