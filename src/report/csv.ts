/**
 * summary.csv: one row per run and layer (a run without layers, such as a
 * failed one, still gets one row with empty layer columns), statistics of each
 * run's last recording window, the measures free of η's scale last (empty for records
 * written before them). RFC 4180 quoting; numbers in full precision.
 */
import type { RunRecord } from '../contract/record.js';

/** Column names, in order. */
export const SUMMARY_COLUMNS = [
  'run',
  'lr',
  'seed',
  'status',
  'diverged_at_step',
  'error',
  'test_accuracy',
  'test_loss',
  'test_psnr',
  'steps',
  'layer',
  'units',
  'weight_mean_abs',
  'weight_rms',
  'weight_max_abs',
  'bias_mean_abs',
  'bias_rms',
  'bias_max_abs',
  'participating',
  'participation_ratio',
  'effective_neurons',
  'spread_of_spread',
  'spread_cv',
  'bias_participating',
  'bias_participation_ratio',
  'dead_units',
  'weight_effective_rms',
  'weight_update_ratio',
  'weight_norm',
  'bias_effective_rms',
  'bias_update_ratio',
  'bias_norm',
] as const;

/** One CSV field: quoted when it holds a comma, quote or line break; empty for null. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s =
    typeof v === 'number'
      ? Number.isFinite(v)
        ? String(v)
        : Number.isNaN(v)
          ? 'NaN'
          : v > 0
            ? 'Infinity'
            : '-Infinity'
      : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The CSV text for a sweep's records (in the order given): summary.csv, one row per run and layer from each run's
 * last recording window (columns: docs/result-format.md).
 *
 *     writeFileSync('summary.csv', summaryCsv(records));
 */
export function summaryCsv(records: readonly RunRecord[]): string {
  const lines = [SUMMARY_COLUMNS.join(',')];
  for (const r of records) {
    const run = [
      r.id,
      r.lr,
      r.seed,
      r.status,
      r.divergedAtStep,
      r.error,
      r.testAccuracy,
      r.testLoss,
      r.testPsnr,
      r.steps,
    ];
    const last = r.windows[r.windows.length - 1];
    const layers = last?.layers ?? [];
    if (layers.length === 0)
      lines.push([...run, ...new Array(SUMMARY_COLUMNS.length - run.length).fill(null)].map(csvField).join(','));
    for (const l of layers) {
      const w = l.weights;
      const b = l.biases;
      lines.push(
        [
          ...run,
          l.layer,
          l.units,
          w.meanAbs,
          w.rms,
          w.maxAbs,
          b.meanAbs,
          b.rms,
          b.maxAbs,
          w.participating,
          w.participationRatio,
          w.effectiveNeurons,
          w.spreadOfSpread,
          w.spreadCv,
          b.participating,
          b.participationRatio,
          l.deadUnits,
          w.effectiveRms,
          w.updateRatio,
          w.weightNorm,
          b.effectiveRms,
          b.updateRatio,
          b.weightNorm,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
