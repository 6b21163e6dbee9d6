/**
 * The terminal summary table of a sweep: short, aligned, one row per run.
 */
import type { SweepAggregate } from '../analysis/aggregate.js';
import type { RunSummary } from '../analysis/summary.js';

/** Formats a number compactly: 3 significant digits, exponent form when tiny or huge. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return Number(x.toPrecision(digits)).toString();
  return x.toExponential(digits - 1);
}

/** Percentage with one decimal. */
export function pct(x: number | null): string {
  return x === null ? '-' : `${(100 * x).toFixed(1)}%`;
}

/** Renders rows of cells as an aligned table with a header rule. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The sweep summary table: learning rate, outcome, and per layer weight RMS Δ, participating neurons and S. */
export function sweepTable(runs: RunSummary[]): string {
  const layers = runs.find((r) => r.layers.length > 0)?.layers.map((l) => l.layer) ?? [];
  const reconstruction = runs.some((r) => r.testPsnr !== null);
  const header = ['lr', 'seed', 'status', reconstruction ? 'test MSE' : 'test acc', reconstruction ? 'PSNR' : 'test loss'];
  for (const l of layers) header.push(`${l} rmsΔ`, `${l} part.`, `${l} S`);
  const rows = runs.map((r) => {
    const status = r.status === 'diverged' ? `diverged@${r.divergedAtStep}` : r.status;
    const cells = [fmt(r.lr), String(r.seed), status, reconstruction ? fmt(r.testLoss) : pct(r.testAccuracy), reconstruction ? fmt(r.testPsnr) : fmt(r.testLoss)];
    for (const name of layers) {
      const l = r.layers.find((x) => x.layer === name);
      cells.push(fmt(l?.weightRms), l ? `${l.participating}/${l.units}` : '-', fmt(l?.spreadOfSpread));
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
  const value = (x: number) => (agg.outcome.field === 'testAccuracy' ? pct(x) : `${fmt(x)} dB`);
  const pm = best.n > 1 ? ` ± ${value((best.hi - best.lo) / 2).replace(/^-/, '')}` : '';
  const range = band.min === band.max ? fmt(band.min) : `${fmt(band.min)}–${fmt(band.max)}`;
  return `recommended learning rates: ${range} (best ${fmt(band.best)}: ${agg.outcome.label} ${value(best.mean)}${pm}${best.n > 1 ? ', 95% interval' : ', one seed'})`;
}
