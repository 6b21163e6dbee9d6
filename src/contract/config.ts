/**
 * The sweep configuration: what to train, on what, at which learning rates and seeds, and how to record; and the
 * arithmetic of a sweep (its runs, their ids, steps and windows). Each field is a setting of the table in settings.ts,
 * which documents, parses and checks it; configure.ts turns setting values into a validated config.
 */
import { UsageError } from './errors.js';
import { isShapesSpec, parseShapesSpec } from './shapesSpec.js';

/** The optimizers a config may name (engine/training/optimizer.ts implements them). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
/** An optimizer a config may name: plain SGD, SGD with momentum, or Adam (docs/data-and-models.md). */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * What a record of a user's TensorFlow.js model (fluctlab/tfjs) writes for the model, data and optimizer fluctlab did not
 * build: 'tfjs:' and tfjs's own name (`tfjs:sequential`, `tfjs:Adam`). fluctlab reads, reports and merges
 * such a record, but cannot train its config again.
 */
export type UserLabel = `tfjs:${string}`;

/** True for a config that describes a user's TensorFlow.js model (its model a `UserLabel`), not one fluctlab builds. */
export function isUserModelConfig(c: Pick<SweepConfig, 'model'>): boolean {
  return typeof c.model === 'string' && c.model.startsWith('tfjs:');
}

/** How runs of one seed train: side by side as one program (on), one at a time (off), or fused where it pays (auto). */
export const FUSE_MODES = ['auto', 'on', 'off'] as const;
/** How runs of one seed train (FUSE_MODES); a sweep's records are the same whichever it is. */
export type FuseMode = (typeof FUSE_MODES)[number];

/**
 * How the products add: `fma` adds each product to its sum with one rounding (fused multiply-add, relaxed SIMD's
 * f32x4.relaxed_madd), `exact` with two (a multiply, then an add: every engine, and every fluctlab before FMA); `auto`
 * takes fma where the engine fuses and exact elsewhere. Records of one arithmetic are byte-identical across Node and
 * browsers, pools, fusion and resume; fma and exact records of one run differ in the last bits of every step.
 */
export const ARITHMETICS = ['auto', 'fma', 'exact'] as const;
/** The arithmetic a config asks for (ARITHMETICS). */
export type ArithmeticSetting = (typeof ARITHMETICS)[number];
/** The arithmetic a run used: what its record's `arithmetic` says. */
export type Arithmetic = Exclude<ArithmeticSetting, 'auto'>;

/** A validated sweep configuration (JSON-safe; echoed into every record). Each field is the setting of the same name in SETTINGS, whose `help` says what it does (docs/cli.md lists them with their flags and defaults). */
export interface SweepConfig {
  data: string;
  /** null: every training example */
  trainLimit: number | null;
  model: string;
  /** a fluctlab optimizer, or in a record of a user's TensorFlow.js model the optimizer tfjs trained it with (`UserLabel`) */
  optimizer: OptimizerName | UserLabel;
  lrs: number[];
  seeds: number[];
  epochs: number;
  batch: number;
  /** recorder window length in steps (null: one window per epoch) */
  windowSteps: number | null;
  tau: number;
  probeSize: number;
  schedule: string;
  weightDecay: number;
  /** null: only a non-finite loss or Δ ends a run as diverged */
  divergeFactor: number | null;
  /** auto resolves in the engine that trains each run; the run's record says which arithmetic it used */
  arithmetic: ArithmeticSetting;
}

/** One run of a sweep: a (learning rate, seed) pair. */
export interface RunSpec {
  lr: number;
  seed: number;
}

/** Log-spaced default: wide enough to show divergence-side fluctuation and the slow side. */
export const DEFAULT_LRS = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0001];

/**
 * Recording windows per run by default, in every shell: enough for histograms, loss curves and fluctuation over
 * training to read as pictures whatever the run's length (one window per epoch gives a 1-epoch run a single point; a
 * fixed step count gives a long run thousands of windows).
 */
export const DEFAULT_WINDOWS = 20;

/**
 * What a config written before a field existed meant by its absence: the behaviour of that older fluctlab (constant
 * learning rate, no weight decay, divergence only on a non-finite loss, products rounded twice), so an old sweep resumes exactly as it began.
 */
export const LEGACY_FIELDS: Pick<SweepConfig, 'schedule' | 'weightDecay' | 'divergeFactor' | 'arithmetic'> = {
  schedule: 'constant',
  weightDecay: 0,
  divergeFactor: null,
  arithmetic: 'exact',
};

/** Fills the fields an older config lacks with their legacy meaning (LEGACY_FIELDS); a current config is returned as it is. */
export function withLegacyFields(c: SweepConfig): SweepConfig {
  const missing = Object.fromEntries(Object.entries(LEGACY_FIELDS).filter(([k]) => !(k in c)));
  return Object.keys(missing).length === 0 ? c : { ...c, ...missing };
}

/** True for an autoencoder model spec. */
export function isAutoencoder(model: string): boolean {
  return model.trim().startsWith('ae:');
}

/** Checks a data spec: mnist, shapes[:…], idx:<folder>, npy:<folder> or cifar10:<folder>. */
export function checkDataSpec(data: string): void {
  if (isShapesSpec(data)) parseShapesSpec(data);
  else if (!/^(mnist|(idx|npy|cifar10):.+)$/.test(data)) {
    throw new UsageError(
      `data "${data}" is unknown: use mnist, shapes[:size=28,train=512,…], idx:<folder with the four IDX files>, npy:<folder with train_x.npy, train_y.npy, test_x.npy, test_y.npy> or cifar10:<folder with the CIFAR-10 binary batches>`,
    );
  }
}

/**
 * The runs of a sweep in a fixed order: learning rates as given, then seeds.
 *
 *     sweepRuns({ ...DEFAULTS, lrs: [0.1, 0.01], seeds: [1, 2] }) // [{ lr: 0.1, seed: 1 }, { lr: 0.1, seed: 2 }, { lr: 0.01, seed: 1 }, { lr: 0.01, seed: 2 }]
 */
export function sweepRuns(c: SweepConfig): RunSpec[] {
  return c.lrs.flatMap((lr) => c.seeds.map((seed) => ({ lr, seed })));
}

/**
 * Stable identifier of a run, used as its file name (runs/<id>.json) and in every event and summary.
 *
 *     runId({ lr: 0.01, seed: 1 }) // 'lr0.01-seed1'
 */
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

/** The window length that splits a run of `totalSteps` into at most `windows` windows of equal steps (the last one may differ: `windowEnds`). */
export function windowStepsForCount(totalSteps: number, windows: number): number {
  return Math.max(1, Math.ceil(totalSteps / windows));
}

/**
 * Whether the window of `windowSteps` steps that is full after `step` of a run's `totalSteps` steps stays open instead:
 * true where the steps left would make a last window shorter than half the others (0 < left < windowSteps / 2), which
 * then joins this one. It depends only on the config and the step count, so a run alone, in a fused group, in Node or
 * in the browser has the same windows.
 */
export function joinsLastWindow(step: number, totalSteps: number, windowSteps: number): boolean {
  const left = totalSteps - step;
  return left > 0 && 2 * left < windowSteps;
}

/** The end steps of a full run's windows of `windowSteps` steps: every `windowSteps` steps, a short last window joined to the one before it (`joinsLastWindow`). */
export function windowEnds(totalSteps: number, windowSteps: number): number[] {
  const ends: number[] = [];
  for (let s = windowSteps; s < totalSteps; s += windowSteps)
    if (!joinsLastWindow(s, totalSteps, windowSteps)) ends.push(s);
  if (totalSteps > 0) ends.push(totalSteps);
  return ends;
}

/**
 * The line that says a run cannot fill the `windows` windows asked of it, or null where it can: a run of `totalSteps`
 * steps has at most one window per step, and that is what it records. The shells print it (the library returns it).
 */
export function windowsNote(totalSteps: number, windows: number | 'epoch'): string | null {
  if (windows === 'epoch' || windows <= totalSteps || totalSteps < 1) return null;
  return `${windows} windows asked of a run of ${totalSteps} step${totalSteps === 1 ? '' : 's'}: it records the ${totalSteps} it can fill, one a step (where S and the neuron spreads, which need 2 steps, are null)`;
}

/** The config a sweep records with: `windowSteps` as given, or the run split into `windows` windows (epoch: one per epoch). */
export function withWindows(c: SweepConfig, windows: number | 'epoch', trainExamples: number): SweepConfig {
  if (c.windowSteps !== null || windows === 'epoch') return c;
  return { ...c, windowSteps: windowStepsForCount(stepsPerRun(c, trainExamples), windows) };
}
