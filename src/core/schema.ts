/**
 * The result schema: a RunRecord per (learning rate, seed) and the SweepResult
 * that merges them. Plain JSON-safe data; `schemaVersion` changes whenever a
 * field changes meaning. Documented in README.md ("Result files").
 */
import type { BinSpec } from './histogram.js';
import type { SweepConfig } from './config.js';
import type { Reconstructions } from './reconstruction.js';
import type { WindowRecord } from './recorder.js';

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

export type RunStatus = 'ok' | 'diverged' | 'failed';

/** Wall-clock measurements; the only fields allowed to differ between identical runs (with `environment`). */
export interface Timing {
  trainSeconds: number;
  samplesPerSecond: number;
  finishedAt: string;
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

/** A copy of a record without timing and environment, for determinism checks. */
export function deterministicPart(r: RunRecord): Omit<RunRecord, 'environment' | 'timing'> {
  const { environment: _e, timing: _t, ...rest } = r;
  return rest;
}

/** A record for a run that threw or whose worker died: no statistics, the reason in `error`. */
export function failedRecord(config: SweepConfig, spec: { lr: number; seed: number; id: string }, error: string, environment: Environment, bins: BinSpec): RunRecord {
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
    epochs: [],
    bins,
    windows: [],
    environment,
    timing: { trainSeconds: 0, samplesPerSecond: 0, finishedAt: new Date().toISOString() },
  };
}
