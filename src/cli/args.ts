/**
 * Command-line flags: parsing with node:util's strict parseArgs and turning
 * flag strings into a validated SweepConfig. Every error is a UsageError with
 * one line that names the flag and a valid example.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULTS, validateConfig, type SweepConfig } from '../contract/config.js';
import { UsageError } from '../contract/errors.js';
import { modelFromJson } from '../contract/modelSpec.js';
import { readTextFile } from '../store/files.js';
import type { OptimizerName } from '../contract/config.js';

/** Parses argv strictly; unknown flags and missing values become UsageErrors. */
export function parseFlags<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const ambiguous = /Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(msg);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} got a value starting with "-": write ${ambiguous[1]}=<value> (and note learning rates must be positive)`);
    throw new UsageError(`${msg.replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '')}: see fluctlab --help`);
  }
}

/** A number flag: finite, or a UsageError naming the flag. */
export function numberFlag(value: string, flag: string, example: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${flag} "${value}" is not a number: e.g. --${flag} ${example}`);
  return v;
}

/** An integer flag ≥ min. */
export function intFlag(value: string, flag: string, example: string, min = 1): number {
  const v = numberFlag(value, flag, example);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`--${flag} "${value}" must be an integer ≥ ${min}: e.g. --${flag} ${example}`);
  return v;
}

/** --weight-decay: a number ≥ 0. */
function weightDecayFlag(value: string): number {
  const v = numberFlag(value, 'weight-decay', '0.0005');
  if (v < 0) throw new UsageError(`--weight-decay ${value} is negative: use 0 (none) or a positive value such as 0.0005`);
  return v;
}

/** --diverge-factor: a number > 1, or off (only a non-finite loss or Δ ends a run as diverged). */
function divergeFactorFlag(value: string): number | null {
  if (value.trim() === 'off') return null;
  const v = numberFlag(value, 'diverge-factor', '4 (or off)');
  if (!(v > 1)) throw new UsageError(`--diverge-factor ${value} must be greater than 1 (a multiple of the initial loss), or off: e.g. --diverge-factor 4`);
  return v;
}

/** Parses a comma list of learning rates. */
export function parseLrs(value: string): number[] {
  return value.split(',').map((s) => {
    const v = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UsageError(`learning rate "${s.trim()}" in --lr is not a positive finite number: e.g. --lr 0.1,0.01,0.001`);
    return v;
  });
}

/** Flags shared by every command that trains. */
export const TRAINING_FLAGS = {
  lr: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  model: { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  data: { type: 'string' },
  'train-limit': { type: 'string' },
  'window-steps': { type: 'string' },
  tau: { type: 'string' },
  'probe-size': { type: 'string' },
  schedule: { type: 'string' },
  'weight-decay': { type: 'string' },
  'diverge-factor': { type: 'string' },
} as const;

type TrainingValues = Partial<Record<keyof typeof TRAINING_FLAGS, string>>;

/** Builds a validated SweepConfig from flag values over `base` defaults. */
export function configFromFlags(v: TrainingValues, base: SweepConfig = DEFAULTS): SweepConfig {
  const seed = v.seed !== undefined ? intFlag(v.seed, 'seed', '1', 0) : base.seeds[0];
  const count = v.seeds !== undefined ? intFlag(v.seeds, 'seeds', '3') : base.seeds.length;
  return validateConfig({
    data: v.data ?? base.data,
    trainLimit: v['train-limit'] !== undefined ? intFlag(v['train-limit'], 'train-limit', '6000') : base.trainLimit,
    model: v.model === undefined ? base.model : modelFlag(v.model),
    optimizer: (v.optimizer ?? base.optimizer) as OptimizerName,
    lrs: v.lr !== undefined ? parseLrs(v.lr) : base.lrs,
    seeds: Array.from({ length: count }, (_, i) => seed + i),
    epochs: v.epochs !== undefined ? intFlag(v.epochs, 'epochs', '1') : base.epochs,
    batch: v.batch !== undefined ? intFlag(v.batch, 'batch', '64') : base.batch,
    windowSteps: v['window-steps'] !== undefined ? intFlag(v['window-steps'], 'window-steps', '100') : base.windowSteps,
    tau: v.tau !== undefined ? numberFlag(v.tau, 'tau', '0.1') : base.tau,
    probeSize: v['probe-size'] !== undefined ? intFlag(v['probe-size'], 'probe-size', '1000') : base.probeSize,
    schedule: v.schedule ?? base.schedule,
    weightDecay: v['weight-decay'] !== undefined ? weightDecayFlag(v['weight-decay']) : base.weightDecay,
    divergeFactor: v['diverge-factor'] !== undefined ? divergeFactorFlag(v['diverge-factor']) : base.divergeFactor,
  });
}

/** True when a flag for a training setting was given (used to check --resume against the folder's config). */
export function hasTrainingFlags(v: TrainingValues): boolean {
  return Object.keys(TRAINING_FLAGS).some((k) => v[k as keyof TrainingValues] !== undefined);
}

/** --model: a spec string as it is, or a .json model file read into its `layers:` spec (the config keeps the spec, not the path). */
export function modelFlag(value: string): string {
  if (!/\.json$/i.test(value.trim())) return value;
  const path = value.trim();
  if (!existsSync(path)) throw new UsageError(`model file ${path} does not exist: pass a spec such as lenet or layers:…, or the path of a .json model file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(path, 'a model file'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path} is not valid JSON (${(e as Error).message}): write {"layers": [{"type": "conv2d", "kernel": 5, "channels": 6}, …]}`);
  }
  return modelFromJson(parsed, path);
}
