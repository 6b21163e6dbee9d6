/**
 * The plan of `fluctlab reproduce`: the configurations that reproduce the
 * eight-shape autoencoder study of "Neuronal Fluctuations: Learning Rates vs
 * Participating Neurons" (Pareek, Kumar, Rao, Janjam, 2025), and of the two
 * extensions the paper lacks. Pure data; the Node command executes it.
 *
 * Arms, each a sweep folder of its own (so each resumes like a sweep):
 *   - main: every learning rate for the same number of epochs (the paper's
 *     "same training window"), at the top of the result folder;
 *   - equal progress: learning rate η trained for epochs·η_min/η epochs, so
 *     every η gets the same η × steps (the distance Adam or SGD can travel);
 *     the smallest η's arm is the main arm itself, the others live in
 *     equal-progress/lr<η>/;
 *   - MNIST: the same learning rates on MNIST classification (mnist/), or an
 *     existing MNIST sweep folder read as it is.
 *
 * The paper's shapes, sizes, architecture and optimizer are not published:
 * every default below is ours and every one is a flag.
 */
import type { SweepConfig } from '../../contract/config.js';
import { DEFAULTS, validateConfig, valuesFromConfig } from '../../contract/configure.js';
import type { SettingValues } from '../../contract/settings.js';

/** Our reading of the paper's setup: its three learning rates and 1000 epochs; Adam, ae:128,32 and batch 64 are our choices. */
export const PAPER_DEFAULTS: SweepConfig = {
  ...DEFAULTS,
  data: 'shapes',
  trainLimit: null,
  model: 'ae:128,32',
  optimizer: 'adam',
  lrs: [0.01, 0.001, 0.0001],
  seeds: [1, 2, 3],
  epochs: 1000,
  batch: 64,
  windowSteps: null,
  tau: 0.1,
  probeSize: 256,
};

/** Recording windows per run by default: 1000 epochs in 25 windows of 40 epochs keeps a record near 4 MB. */
export const DEFAULT_WINDOWS = 25;

/** The study's defaults as setting values (what `fluctlab reproduce --help` shows). */
export function paperSettingValues(): SettingValues {
  return { ...valuesFromConfig(PAPER_DEFAULTS, 'reproduce'), windows: DEFAULT_WINDOWS };
}

/** `--quick`: the same study shrunk to seconds (16×16 shapes, a tiny autoencoder, a few epochs, two seeds). */
export const QUICK_DEFAULTS: SweepConfig = {
  ...PAPER_DEFAULTS,
  data: 'shapes:size=16,train=64,test=32',
  model: 'ae:32,8',
  seeds: [1, 2],
  epochs: 6,
  batch: 16,
  probeSize: 32,
};
export const QUICK_WINDOWS = 3;

/** The MNIST arm's defaults: the main sweep's classifier at the study's learning rates and optimizer. */
export const MNIST_ARM = { model: 'mlp:128,64', epochs: 2, batch: 64, probeSize: 1000 };
export const QUICK_MNIST_ARM = { model: 'mlp:32', epochs: 1, batch: 32, probeSize: 200, trainLimit: 1000 };

/** One equal-progress arm: a learning rate's own folder and config (null dir: the main arm's runs are reused). */
export interface EqualProgressArm {
  lr: number;
  dir: string | null;
  config: SweepConfig;
}

/** What a reproduce folder holds (reproduce.json), enough to resume it. */
export interface ReproducePlan {
  kind: 'fluctlab.reproduce';
  schemaVersion: 1;
  /** recording windows per run */
  windows: number;
  main: SweepConfig;
  equalProgress: { targetLoss: number | null; arms: EqualProgressArm[] } | null;
  /** `run`: the config trained in `dir` (relative to the folder); null: `dir` is an existing sweep folder, read as is */
  mnist: { dir: string; run: SweepConfig | null } | null;
  createdAt: string;
}

/** Steps of a window that spans whole epochs: `windows` windows over the run (the last may be shorter). */
export function windowStepsFor(epochs: number, stepsPerEpoch: number, windows: number): number {
  return stepsPerEpoch * Math.max(1, Math.ceil(epochs / windows));
}

/** Epochs of learning rate `lr` in the equal-progress arm: epochs · η_min / η, at least one. */
export function equalProgressEpochs(epochs: number, lr: number, lrMin: number): number {
  return Math.max(1, Math.round((epochs * lrMin) / lr));
}

/** Folder of an equal-progress arm, relative to the study folder. */
export function equalProgressDir(lr: number): string {
  return `equal-progress/lr${lr}`;
}

/** The main arm with whole-epoch windows (`windowSteps` as given when set). */
export function mainConfig(base: SweepConfig, stepsPerEpoch: number, windows: number): SweepConfig {
  return validateConfig({
    ...base,
    windowSteps: base.windowSteps ?? windowStepsFor(base.epochs, stepsPerEpoch, windows),
  });
}

/** One arm per learning rate above the smallest, each with its scaled epochs; the smallest reuses the main arm. */
export function equalProgressArms(main: SweepConfig, stepsPerEpoch: number, windows: number): EqualProgressArm[] {
  const lrMin = Math.min(...main.lrs);
  return [...main.lrs]
    .sort((a, b) => b - a)
    .map((lr) => {
      const epochs = equalProgressEpochs(main.epochs, lr, lrMin);
      if (lr === lrMin || epochs === main.epochs) return { lr, dir: null, config: main };
      return {
        lr,
        dir: equalProgressDir(lr),
        config: validateConfig({
          ...main,
          lrs: [lr],
          epochs,
          windowSteps: windowStepsFor(epochs, stepsPerEpoch, windows),
        }),
      };
    });
}

/** The MNIST arm's config: the study's learning rates, seeds, optimizer and τ on the MNIST classifier. */
export function mnistConfig(main: SweepConfig, quick: boolean): SweepConfig {
  const arm = quick ? QUICK_MNIST_ARM : { ...MNIST_ARM, trainLimit: null };
  return validateConfig({ ...main, data: 'mnist', windowSteps: null, ...arm });
}
