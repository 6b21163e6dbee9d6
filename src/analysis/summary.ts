/**
 * Per-run summaries: the numbers a table shows for one run, taken from its
 * last recording window (the final epoch by default).
 */
import type { RunRecord } from '../contract/record.js';

/** One layer's headline numbers for a run. */
export interface LayerSummary {
  layer: string;
  units: number;
  weightRms: number;
  biasRms: number;
  participating: number;
  participationRatio: number;
  /** null where the last window was too short (under 2 steps) to define S */
  spreadOfSpread: number | null;
  deadUnits: number | null;
  /** the weights' effective step RMS Δ/η (absent in records made before it; null where undefined) */
  effectiveRms?: number | null;
}

/** One run's headline numbers. */
export interface RunSummary {
  id: string;
  lr: number;
  seed: number;
  status: RunRecord['status'];
  divergedAtStep: number | null;
  /** why it diverged: a non-finite loss or Δ, or the smoothed loss past --diverge-factor × the initial loss (absent in older records) */
  divergedBy?: 'non-finite' | 'explosion' | null;
  error: string | null;
  testAccuracy: number | null;
  testLoss: number | null;
  testPsnr: number | null;
  steps: number;
  /** the run's samples/s; for a fused run (`groupRuns` > 1) its group's */
  samplesPerSecond: number;
  /** runs in this run's fused group (absent: trained alone) */
  groupRuns?: number;
  layers: LayerSummary[];
}

/**
 * Summarises a run from its last window: the headline numbers of a table row (a SweepResult's `runs`).
 *
 *     const { testAccuracy, layers } = summarizeRun(record); // layers[0].weightRms: the first layer's RMS Δ
 */
export function summarizeRun(r: RunRecord): RunSummary {
  const last = r.windows[r.windows.length - 1];
  return {
    id: r.id,
    lr: r.lr,
    seed: r.seed,
    status: r.status,
    divergedAtStep: r.divergedAtStep,
    divergedBy: r.divergedBy,
    error: r.error,
    testAccuracy: r.testAccuracy,
    testLoss: r.testLoss,
    testPsnr: r.testPsnr,
    steps: r.steps,
    samplesPerSecond: r.timing.samplesPerSecond,
    ...(r.timing.groupRuns ? { groupRuns: r.timing.groupRuns } : {}),
    layers: (last?.layers ?? []).map((l) => ({
      layer: l.layer,
      units: l.units,
      weightRms: l.weights.rms,
      biasRms: l.biases.rms,
      participating: l.weights.participating,
      participationRatio: l.weights.participationRatio,
      spreadOfSpread: l.weights.spreadOfSpread,
      deadUnits: l.deadUnits,
      ...(l.weights.effectiveRms != null ? { effectiveRms: l.weights.effectiveRms } : {}),
    })),
  };
}
