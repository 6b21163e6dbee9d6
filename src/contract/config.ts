/**
 * The sweep configuration: what to train, on what, at which learning rates and
 * seeds, and how to record. Validation returns one-line errors that name the
 * problem and the fix.
 */
import { parseModelSpec } from './modelSpec.js';
import { UsageError } from './errors.js';
import { parseSchedule, scheduleSpec } from './schedule.js';
import { isShapesSpec, parseShapesSpec } from './shapesSpec.js';


/** The optimizers a config may name (engine/training/optimizer.ts implements them). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A validated sweep configuration (JSON-safe; echoed into every record). */
export interface SweepConfig {
  /** 'mnist', 'idx:<dir>', 'npy:<dir>', 'cifar10:<dir>', 'shapes' or 'shapes:<key=value,…>' (shapes.ts) */
  data: string;
  /** use only the first N training examples (null: all) */
  trainLimit: number | null;
  /** 'mlp:128,64' (classifier) or 'ae:128,32' (autoencoder) */
  model: string;
  optimizer: OptimizerName;
  lrs: number[];
  seeds: number[];
  epochs: number;
  batch: number;
  /** recorder window length in steps (null: one epoch) */
  windowSteps: number | null;
  /** participation threshold τ */
  tau: number;
  /** number of training examples in the fixed probe batch for dead units */
  probeSize: number;
  /** learning-rate schedule spec (schedule.ts); the run's lr is its peak */
  schedule: string;
  /** L2 weight decay: added to the gradient for sgd and momentum, decoupled (AdamW) for adam; 0 = none */
  weightDecay: number;
  /** a run whose smoothed training loss exceeds this × its initial loss ends diverged (null: only a non-finite loss or Δ) */
  divergeFactor: number | null;
}

/** One run of a sweep: a (learning rate, seed) pair. */
export interface RunSpec {
  lr: number;
  seed: number;
}

/** Log-spaced default: wide enough to show divergence-side fluctuation and the slow side. */
export const DEFAULT_LRS = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0001];

export const DEFAULTS: SweepConfig = {
  data: 'mnist',
  trainLimit: null,
  model: 'mlp:128,64',
  optimizer: 'sgd',
  lrs: DEFAULT_LRS,
  seeds: [1],
  epochs: 1,
  batch: 64,
  windowSteps: null,
  tau: 0.1,
  probeSize: 1000,
  schedule: 'constant',
  weightDecay: 0,
  divergeFactor: 4,
};

/**
 * What a config written before a field existed meant by its absence: the behaviour of that older fluctlab (constant
 * learning rate, no weight decay, divergence only on a non-finite loss), so an old sweep resumes exactly as it began.
 */
export const LEGACY_FIELDS: Pick<SweepConfig, 'schedule' | 'weightDecay' | 'divergeFactor'> = { schedule: 'constant', weightDecay: 0, divergeFactor: null };

/** Fills the fields an older config lacks with their legacy meaning (LEGACY_FIELDS); a current config is returned as it is. */
export function withLegacyFields(c: SweepConfig): SweepConfig {
  const missing = Object.fromEntries(Object.entries(LEGACY_FIELDS).filter(([k]) => !(k in c)));
  return Object.keys(missing).length === 0 ? c : { ...c, ...missing };
}

/** True for an autoencoder model spec. */
export function isAutoencoder(model: string): boolean {
  return model.trim().startsWith('ae:');
}

/** Checks a whole configuration; throws UsageError naming the first problem. */
export function validateConfig(c: SweepConfig): SweepConfig {
  if (!c || typeof c !== 'object') throw new UsageError('the config is not an object: pass flags such as --lr 0.1,0.01');
  if (typeof c.model !== 'string') throw new UsageError('model missing: use --model mlp:128,64');
  if (typeof c.data !== 'string') throw new UsageError('data missing: use --data mnist');
  if (!Array.isArray(c.lrs) || c.lrs.length === 0) throw new UsageError('no learning rates given: pass --lr with a comma list such as 0.1,0.01');
  for (const lr of c.lrs) {
    if (!(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) throw new UsageError(`learning rate "${lr}" is not a positive finite number: use values such as 0.1,0.01`);
  }
  if (new Set(c.lrs).size !== c.lrs.length) throw new UsageError('a learning rate appears twice in --lr: list each once');
  if (!Array.isArray(c.seeds) || c.seeds.length === 0 || c.seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)) {
    throw new UsageError('seeds must be integers from 0 to 4294967295');
  }
  if (new Set(c.seeds).size !== c.seeds.length) throw new UsageError('a seed appears twice: list each once');
  positiveInt(c.epochs, 'epochs', '--epochs 1');
  positiveInt(c.batch, 'batch size', '--batch 64');
  if (c.batch > 65536) throw new UsageError(`batch size ${c.batch} is too large: use at most 65536`);
  if (c.windowSteps !== null) positiveInt(c.windowSteps, 'window steps', '--window-steps 100');
  if (c.trainLimit !== null) positiveInt(c.trainLimit, 'train limit', '--train-limit 6000');
  if (!(Number.isFinite(c.tau) && c.tau >= 0 && c.tau <= 1)) throw new UsageError(`tau ${c.tau} must be a number from 0 to 1: use --tau 0.1`);
  positiveInt(c.probeSize, 'probe size', '--probe-size 1000');
  if (!OPTIMIZERS.includes(c.optimizer)) throw new UsageError(`optimizer "${c.optimizer}" is unknown: use one of ${OPTIMIZERS.join(', ')}`);
  parseModelSpec(c.model);
  if (typeof c.schedule !== 'string') throw new UsageError('schedule missing: use --schedule constant');
  c = { ...c, schedule: scheduleSpec(parseSchedule(c.schedule)) };
  if (!(typeof c.weightDecay === 'number' && Number.isFinite(c.weightDecay) && c.weightDecay >= 0)) throw new UsageError(`weight decay ${c.weightDecay} must be a number ≥ 0: e.g. --weight-decay 0.0005`);
  if (c.divergeFactor !== null && !(typeof c.divergeFactor === 'number' && Number.isFinite(c.divergeFactor) && c.divergeFactor > 1)) {
    throw new UsageError(`diverge factor ${c.divergeFactor} must be a number > 1 (a multiple of the initial loss) or off: e.g. --diverge-factor 4`);
  }
  if (isShapesSpec(c.data)) parseShapesSpec(c.data);
  else if (!/^(mnist|(idx|npy|cifar10):.+)$/.test(c.data)) throw new UsageError(`data "${c.data}" is unknown: use mnist, shapes[:size=28,train=512,…], idx:<folder with the four IDX files>, npy:<folder with train_x.npy, train_y.npy, test_x.npy, test_y.npy> or cifar10:<folder with the CIFAR-10 binary batches>`);
  return c;
}

function positiveInt(v: number, what: string, example: string): void {
  if (!(Number.isInteger(v) && v > 0)) throw new UsageError(`${what} "${v}" must be a positive integer: e.g. ${example}`);
}

/** The runs of a sweep in a fixed order: learning rates as given, then seeds. */
export function sweepRuns(c: SweepConfig): RunSpec[] {
  return c.lrs.flatMap((lr) => c.seeds.map((seed) => ({ lr, seed })));
}

/** Stable identifier of a run, used as its file name. */
export function runId(r: RunSpec): string {
  return `lr${r.lr}-seed${r.seed}`;
}

/** The training examples a run uses of the data set's `trainExamples`: all, or the first --train-limit. */
export function examplesUsed(c: SweepConfig, trainExamples: number): number {
  return c.trainLimit === null ? trainExamples : Math.min(c.trainLimit, trainExamples);
}

/** Optimizer steps per epoch for `trainExamples` examples (the last partial batch is dropped). */
export function stepsPerEpoch(c: SweepConfig, trainExamples: number): number {
  return Math.floor(examplesUsed(c, trainExamples) / c.batch);
}

/** Optimizer steps of each run: whole batches per epoch (the last partial batch is dropped) times epochs. */
export function stepsPerRun(c: SweepConfig, trainExamples: number): number {
  return stepsPerEpoch(c, trainExamples) * c.epochs;
}

/** The window length that splits a run of `totalSteps` into at most `windows` windows of equal steps (the last one may be shorter). */
export function windowStepsForCount(totalSteps: number, windows: number): number {
  return Math.max(1, Math.ceil(totalSteps / windows));
}
