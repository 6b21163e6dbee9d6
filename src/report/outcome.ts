/**
 * The outcome table as data: one row per learning rate, largest first, with its runs' status, the outcome's mean ±
 * 95% half-width over seeds, each seed's outcome and the test loss; rows in the recommended band marked 'band', the
 * best starred, rows with a run that did not end ok marked 'broken'. report.html renders it as text (html.ts), the
 * page as DOM (web/reportView.ts): one table, two renderers.
 *
 *     const t = outcomeTable(result); // t.header: ['η', 'runs', 'test accuracy', 'per seed', 'test loss']
 */
import type { LrAggregate } from '../analysis/aggregate.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import { FRACTION, lrLabel, meanPm, NONNEGATIVE, num, percent, type Bounds } from './format.js';

/** One row of the outcome table. */
export interface OutcomeRow {
  lr: number;
  cls: '' | 'band' | 'broken';
  cells: string[];
}

/** Status of an lr's runs in words: "2 ok", "1 ok, 1 diverged". */
export function statusWords(a: LrAggregate): string {
  const parts: string[] = [];
  if (a.counts.ok) parts.push(`${a.counts.ok} ok`);
  if (a.counts.diverged) parts.push(`${a.counts.diverged} diverged`);
  if (a.counts.failed) parts.push(`${a.counts.failed} failed`);
  return parts.join(', ');
}

/** How the sweep's outcome prints: accuracy as a percentage, PSNR in dB. */
export function outcomeFormat(result: SweepResult): (x: number) => string {
  return result.aggregate.outcome.field === 'testAccuracy' ? (x) => percent(x, 1) : (x) => `${num(x, 4)} dB`;
}

/** What the sweep's outcome can take: an accuracy lies in 0–1; PSNR has no bound. */
export function outcomeBounds(result: SweepResult): Bounds {
  return result.aggregate.outcome.field === 'testAccuracy' ? FRACTION : {};
}

/** The table's header and rows. */
export function outcomeTable(result: SweepResult): { header: string[]; rows: OutcomeRow[] } {
  const agg = result.aggregate;
  const f = outcomeFormat(result);
  const bounds = outcomeBounds(result);
  const rows = [...agg.lrs]
    .sort((a, b) => b.lr - a.lr)
    .map((a): OutcomeRow => {
      const inBand = agg.band?.lrs.includes(a.lr) ?? false;
      const star = agg.band?.best === a.lr ? ' ★' : '';
      const seeds = a.runs.map((r) => (r.outcome === null ? r.status : f(r.outcome))).join(', ');
      return {
        lr: a.lr,
        cls: inBand ? 'band' : a.counts.ok < a.runs.length ? 'broken' : '',
        cells: [
          `${lrLabel(a.lr)}${star}`,
          statusWords(a),
          meanPm(a.outcome, f, bounds),
          seeds,
          meanPm(a.testLoss, undefined, NONNEGATIVE),
        ],
      };
    });
  return { header: ['η', 'runs', agg.outcome.label, 'per seed', 'test loss'], rows };
}
