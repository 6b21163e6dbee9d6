/**
 * The terminal summary table of a sweep: short, aligned, one row per run; numbers formatted as in the report.
 */
import type { SweepAggregate } from '../analysis/aggregate.js';
import type { RunSummary } from '../analysis/summary.js';
import { clippedRange, FRACTION, NO_VALUE, num, percent } from './format.js';

/** Renders rows of cells as an aligned table with a header rule. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The sweep summary table: learning rate, outcome, and per layer weight RMS Δ, participating neurons and S. */
export function sweepTable(runs: RunSummary[]): string {
  const layers = runs.find((r) => r.layers.length > 0)?.layers.map((l) => l.layer) ?? [];
  const reconstruction = runs.some((r) => r.testPsnr !== null);
  const header = [
    'lr',
    'seed',
    'status',
    reconstruction ? 'test MSE' : 'test acc',
    reconstruction ? 'PSNR' : 'test loss',
  ];
  for (const l of layers) header.push(`${l} rmsΔ`, `${l} part.`, `${l} S`);
  const rows = runs.map((r) => {
    const status = r.status === 'diverged' ? `diverged@${r.divergedAtStep}` : r.status;
    const cells = [
      num(r.lr),
      String(r.seed),
      status,
      reconstruction ? num(r.testLoss) : percent(r.testAccuracy),
      reconstruction ? num(r.testPsnr) : num(r.testLoss),
    ];
    for (const name of layers) {
      const l = r.layers.find((x) => x.layer === name);
      cells.push(num(l?.weightRms), l ? `${l.participating}/${l.units}` : NO_VALUE, num(l?.spreadOfSpread));
    }
    return cells;
  });
  return renderTable(header, rows);
}

/** One line on the recommended learning-rate band, for the end of the terminal summary. */
export function bandLine(agg: SweepAggregate): string {
  const band = agg.band;
  if (!band) return 'recommended learning rates: none (no learning rate ended ok on every seed)';
  const best = agg.lrs.find((a) => a.lr === band.best)!.outcome!;
  const value = (x: number) => (agg.outcome.field === 'testAccuracy' ? percent(x) : `${num(x)} dB`);
  const clipped = agg.outcome.field === 'testAccuracy' ? clippedRange(best, FRACTION) : null;
  const pm =
    best.n < 2 ? '' : clipped ? ` (${value(clipped[0])}–${value(clipped[1])})` : ` ± ${value((best.hi - best.lo) / 2)}`;
  const range = band.min === band.max ? num(band.min) : `${num(band.min)}–${num(band.max)}`;
  return `recommended learning rates: ${range} (best ${num(band.best)}: ${agg.outcome.label} ${value(best.mean)}${pm}${best.n > 1 ? ', 95% interval' : ', one seed'})`;
}
