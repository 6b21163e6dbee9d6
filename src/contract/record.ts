/**
 * The result schema: a RunRecord per (learning rate, seed) and the SweepResult
 * that merges them. Plain JSON-safe data; `schemaVersion` changes whenever a
 * field changes meaning. Documented in README.md ("Result files").
 */
import type { Arithmetic, SweepConfig } from './config.js';
import type { WindowRecord } from './windowRecord.js';
import { modelLayers } from './modelSpec.js';

/** Description of the bin layout, stored in every RunRecord so merges can check it. */
export interface BinSpec {
  kind: 'log2-symmetric-7bit';
  minExp: number;
  maxExp: number;
  binsPerOctave: number;
  binCount: number;
}

/** Original and reconstructed images of a few fixed test examples. */
export interface Reconstructions {
  rows: number;
  cols: number;
  /** channels per pixel, interleaved (absent: 1, grey) */
  channels?: number;
  /** indices into the test split */
  testIndices: number[];
  labels: number[];
  /** per example, rows·cols·channels pixel values 0…255 */
  original: number[][];
  reconstructed: number[][];
}

/** Mean and (population) standard deviation of each channel, pixel values scaled to [0, 1]. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** The result schema a RunRecord and a SweepResult are written in (`schemaVersion`); readers refuse another one. */
export const SCHEMA_VERSION = 1;

/** Where a run executed; excluded from determinism comparisons. */
export interface Environment {
  runtime: string;
  backend: string;
  simd: boolean;
  threads: number;
  tfjsVersion: string;
  fluctlabVersion: string;
}

/** Per-epoch outcome. For autoencoders `accuracy` fields are null and `psnr` is set. */
export interface EpochRecord {
  epoch: number;
  /** the optimizer step the epoch ended at (the divergence step for the epoch a run diverged in; absent in older records) */
  endStep?: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  testPsnr: number | null;
}

/** How a run ended: trained to the end (ok), stopped early as diverged (a finding, not an error: `divergedBy` says which rule), or threw (failed: `error` says why). */
export type RunStatus = 'ok' | 'diverged' | 'failed';

/** Wall-clock measurements; the only fields allowed to differ between identical runs (with `environment`). */
export interface Timing {
  trainSeconds: number;
  /** training samples a second; for a run trained in a fused group (`groupRuns` > 1), the whole group's: all its runs' samples over the group's training time */
  samplesPerSecond: number;
  finishedAt: string;
  /** how many runs trained side by side in this run's fused group (absent: trained alone, or a record made before) */
  groupRuns?: number;
}

/** Everything one training run produced. */
export interface RunRecord {
  schemaVersion: number;
  kind: 'fluctlab.run';
  id: string;
  lr: number;
  seed: number;
  config: SweepConfig;
  status: RunStatus;
  /** step (1-based) at which the run diverged: loss or Δ non-finite, or the smoothed loss past divergeFactor × the initial loss */
  divergedAtStep: number | null;
  /** why it diverged (absent in records made before the explosion rule) */
  divergedBy?: 'non-finite' | 'explosion' | null;
  error: string | null;
  task: 'classification' | 'reconstruction';
  testAccuracy: number | null;
  testLoss: number | null;
  testPsnr: number | null;
  steps: number;
  parameterCount: number;
  /** the model's layers written out (`modelLayers`: a preset expanded); absent in records made before it was kept */
  modelLayers?: string | null;
  /** the training set's channel statistics a model that starts with `standardize` divides its input by, else null; absent in older records */
  inputStats?: ChannelStats | null;
  /** how its products added (config.ts ARITHMETICS): fma or exact; absent in records made before fma (they are exact) */
  arithmetic?: Arithmetic;
  epochs: EpochRecord[];
  bins: BinSpec;
  windows: WindowRecord[];
  /** autoencoders only: the final reconstructions of a few fixed test examples (null when the run diverged; absent for classifiers and in older records) */
  reconstructions?: Reconstructions | null;
  environment: Environment;
  timing: Timing;
}

/** Fields that legitimately differ between two identical runs. */
export const NONDETERMINISTIC_FIELDS = ['environment', 'timing'] as const;

/**
 * A copy of a record without timing and environment, for determinism checks: the same config and seed give the same
 * deterministic part, bit for bit, in Node, on any pool and in a browser (docs/determinism.md).
 *
 *     JSON.stringify(deterministicPart(a)) === JSON.stringify(deterministicPart(b)) // true for two runs of one config and seed
 */
export function deterministicPart(r: RunRecord): Omit<RunRecord, 'environment' | 'timing'> {
  const { environment: _e, timing: _t, ...rest } = r;
  return rest;
}

/** A record for a run that threw or whose worker died: no statistics, the reason in `error`. */
export function failedRecord(
  config: SweepConfig,
  spec: { lr: number; seed: number; id: string },
  error: string,
  environment: Environment,
  bins: BinSpec,
): RunRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fluctlab.run',
    id: spec.id,
    lr: spec.lr,
    seed: spec.seed,
    config,
    status: 'failed',
    divergedAtStep: null,
    divergedBy: null,
    error,
    task: config.model.startsWith('ae:') ? 'reconstruction' : 'classification',
    testAccuracy: null,
    testLoss: null,
    testPsnr: null,
    steps: 0,
    parameterCount: 0,
    modelLayers: modelLayers(config.model),
    inputStats: null,
    epochs: [],
    bins,
    windows: [],
    environment,
    timing: { trainSeconds: 0, samplesPerSecond: 0, finishedAt: new Date().toISOString() },
  };
}

/**
 * The first record that trained other layers than `config.model` means in this fluctlab (a preset whose meaning
 * changed since the record was written), or null; records older than `modelLayers` pass. A resume or a merge that
 * mixed the two would average runs of two models under one name.
 */
export function recordOfOtherModel(
  config: Pick<SweepConfig, 'model'>,
  records: readonly RunRecord[],
): RunRecord | null {
  const layers = modelLayers(config.model);
  return records.find((r) => r.modelLayers != null && r.modelLayers !== layers) ?? null;
}

const isNum = (v: unknown): boolean => v === null || typeof v === 'number';
/** A share from 0 to 1 (or null; NaN, which JSON cannot hold, passes as in memory). */
const isShare = (v: unknown): boolean => isNum(v) && !((v as number) < 0 || (v as number) > 1);
/** A count of a histogram bin: a whole number from 0. */
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
/**
 * The names fluctlab gives layers (dense1, conv2, …), with room for more: a name from a record becomes part of file
 * names (figures, npy files) and element ids, so anything else (a slash, a dot, markup) is refused.
 */
export const LAYER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** A value from a file as a message shows it: strings quoted with control characters escaped, at most 40 characters. */
export const quoted = (v: unknown): string => {
  const s = typeof v === 'string' || (v && typeof v === 'object') ? (JSON.stringify(v) ?? '') : String(v);
  return s.length > 42 ? `${s.slice(0, 40)}…` : s;
};
const isInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const obj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const numbers = (v: unknown, length?: number): boolean =>
  Array.isArray(v) && (length === undefined || v.length === length) && v.every(isNum);

const TENSOR_FIELDS = [
  'meanAbs',
  'rms',
  'maxAbs',
  'spreadOfSpread',
  'spreadCv',
  'participating',
  'participationRatio',
  'effectiveNeurons',
] as const;
const SCALE_FREE_FIELDS = ['effectiveRms', 'weightNorm', 'updateRatio'] as const;

/**
 * The first way a parsed RunRecord's shape differs from what the aggregate, report and exports read, or null: every
 * field those use has its type, arrays their lengths, every window the layers of the first. (JSON turns NaN into null,
 * so numbers may be null.) A record edited by hand or damaged on disk is refused with this instead of breaking them.
 */
export function recordShapeProblem(r: Record<string, unknown>): string | null {
  if (!['ok', 'diverged', 'failed'].includes(r.status as string)) return 'status is not ok, diverged or failed';
  for (const k of ['testAccuracy', 'testLoss', 'testPsnr', 'divergedAtStep'] as const)
    if (!isNum(r[k])) return `${k} is not a number`;
  if (!isShare(r.testAccuracy)) return 'testAccuracy is not a share from 0 to 1';
  if (!isInt(r.steps)) return 'steps is not a whole number';
  if (!obj(r.bins) || !isInt(r.bins.binCount)) return 'bins is not a bin layout';
  if (!obj(r.config)) return 'config is missing';
  if (!obj(r.timing)) return 'timing is missing';
  if (r.modelLayers != null && typeof r.modelLayers !== 'string') return 'modelLayers is not a string';
  if (
    r.inputStats != null &&
    !(
      obj(r.inputStats) &&
      numbers(r.inputStats.mean) &&
      numbers(r.inputStats.std, (r.inputStats.mean as unknown[]).length)
    )
  )
    return 'inputStats is not a mean and std per channel';
  const bins = r.bins.binCount as number;
  if (!Array.isArray(r.epochs)) return 'epochs is not a list';
  for (const [i, e] of r.epochs.entries()) {
    if (!obj(e) || !isInt(e.epoch)) return `epochs[${i}] is not an epoch`;
    for (const k of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'testPsnr'] as const)
      if (!isNum(e[k])) return `epochs[${i}].${k} is not a number`;
    for (const k of ['trainAccuracy', 'testAccuracy'] as const)
      if (!isShare(e[k])) return `epochs[${i}].${k} is not a share from 0 to 1`;
  }
  if (!Array.isArray(r.windows)) return 'windows is not a list';
  let names: string | null = null;
  for (const [i, w] of r.windows.entries()) {
    if (!obj(w) || !isInt(w.startStep) || !isInt(w.endStep) || !Array.isArray(w.layers) || w.layers.length === 0)
      return `windows[${i}] is not a recording window`;
    if (w.trainLoss !== undefined && !isNum(w.trainLoss)) return `windows[${i}].trainLoss is not a number`;
    for (const [j, l] of w.layers.entries()) {
      const at = `windows[${i}].layers[${j}]`;
      if (!obj(l) || typeof l.layer !== 'string' || !isInt(l.units) || (l.units as number) < 1)
        return `${at} is not a layer`;
      if (!LAYER_NAME.test(l.layer))
        return `${at}.layer ${quoted(l.layer)} is not a layer name (a letter, then letters, digits, _ or -)`;
      if (!isNum(l.deadUnits)) return `${at}.deadUnits is not a number`;
      for (const part of ['weights', 'biases'] as const) {
        const t = l[part];
        if (!obj(t)) return `${at}.${part} is missing`;
        for (const k of TENSOR_FIELDS) if (!isNum(t[k])) return `${at}.${part}.${k} is not a number`;
        if (!Array.isArray(t.histogram) || t.histogram.length !== bins || !t.histogram.every(isCount))
          return `${at}.${part}.histogram does not hold ${bins} counts (whole numbers from 0)`;
        if (!numbers(t.neuronFluctuation, l.units as number) || !numbers(t.neuronSpread, l.units as number))
          return `${at}.${part} does not hold one value per unit`;
        // the measures free of η's scale: absent in records written before them
        for (const k of SCALE_FREE_FIELDS)
          if (t[k] !== undefined && !isNum(t[k])) return `${at}.${part}.${k} is not a number`;
        if (t.neuronUpdateRatio !== undefined && !numbers(t.neuronUpdateRatio, l.units as number))
          return `${at}.${part}.neuronUpdateRatio does not hold one value per unit`;
      }
    }
    const these = JSON.stringify(w.layers.map((l: Record<string, unknown>) => [l.layer, l.units]));
    if (names !== null && these !== names) return `windows[${i}] has other layers than windows[0]`;
    names = these;
  }
  return null;
}

/**
 * Where a value parsed from JSON holds a number that is not finite (`1e999` parses as Infinity), as a path such as
 * `windows[0].layers[1].weights.rms`, or null. fluctlab never writes one (JSON turns NaN and Infinity into null), so a
 * file that holds one was edited. Walks without recursion, so a deeply nested file cannot overflow the stack.
 */
export function nonFiniteAt(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return at || '(the value)';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`]);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v).reverse()) stack.push([x, at ? `${at}.${k}` : k]);
    }
  }
  return null;
}
