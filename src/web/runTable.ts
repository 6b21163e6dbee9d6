/**
 * The table of a sweep's runs: one row per (learning rate, seed), showing
 * progress while the run trains and its outcome when it ends.
 *
 *     const table = new RunTable(tableElement, config);
 *     table.progress(p); table.finished(record);
 */
import { isAutoencoder, runId, sweepRuns, type SweepConfig } from '../contract/config.js';
import type { SweepProgress } from '../sweep/runSweep.js';
import type { RunRecord } from '../contract/record.js';
import { lrLabel, NO_VALUE, num, percent } from '../report/format.js';
import { h } from './dom.js';

// 'test accuracy' is the outcome column's key; an autoencoder's table heads it 'test PSNR'
const COLUMNS = ['learning rate', 'seed', 'progress', 'loss', 'samples/s', 'test accuracy', 'status'] as const;

interface Row {
  bar: HTMLProgressElement;
  cells: Record<(typeof COLUMNS)[number], HTMLTableCellElement>;
  tr: HTMLTableRowElement;
}

/** Samples a second; a fused run's figure is its group's, and the cell says so. */
function speed(samplesPerSecond: number, groupRuns: number | undefined): string {
  const n = Math.round(samplesPerSecond).toLocaleString('en');
  return groupRuns && groupRuns > 1 ? `${n} (group of ${groupRuns})` : n;
}

/** A live table of runs inside `table` (its content is replaced). */
export class RunTable {
  private readonly rows = new Map<string, Row>();

  constructor(table: HTMLTableElement, config: SweepConfig) {
    const heading = (c: (typeof COLUMNS)[number]) =>
      c === 'test accuracy' && isAutoencoder(config.model) ? 'test PSNR' : c;
    const head = h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, heading(c)))));
    const body = h('tbody');
    for (const spec of sweepRuns(config)) {
      const cells = Object.fromEntries(COLUMNS.map((c) => [c, h('td', { 'data-col': c })])) as Row['cells'];
      const bar = h('progress', { max: 1, value: 0 });
      cells['learning rate'].textContent = lrLabel(spec.lr);
      cells.seed.textContent = String(spec.seed);
      cells.progress.appendChild(bar);
      cells.status.textContent = 'queued';
      const tr = h('tr', { 'data-run': runId(spec), 'data-status': 'queued' }, ...COLUMNS.map((c) => cells[c]));
      body.appendChild(tr);
      this.rows.set(runId(spec), { bar, cells, tr });
    }
    table.replaceChildren(head, body);
  }

  /** Marks a run as started. */
  started(id: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    row.tr.dataset.status = 'running';
    row.cells.status.textContent = 'running';
  }

  /** Shows a run's latest progress. */
  progress(p: SweepProgress): void {
    const row = this.rows.get(p.id);
    if (!row) return;
    row.bar.value = p.step / p.totalSteps;
    row.bar.textContent = percent(p.step / p.totalSteps, 0);
    row.cells.loss.textContent = num(p.loss, 4);
    row.cells['samples/s'].textContent = speed(p.samplesPerSecond, p.groupRuns);
    row.cells.status.textContent = `step ${p.step} / ${p.totalSteps}`;
  }

  /** Shows a run's outcome. */
  finished(r: RunRecord): void {
    const row = this.rows.get(r.id);
    if (!row) return;
    row.tr.dataset.status = r.status;
    if (r.status !== 'failed') row.bar.value = 1;
    const lastLoss = r.epochs[r.epochs.length - 1]?.trainLoss ?? null;
    row.cells.loss.textContent = num(lastLoss, 4);
    row.cells['samples/s'].textContent =
      r.timing.samplesPerSecond > 0 ? speed(r.timing.samplesPerSecond, r.timing.groupRuns) : NO_VALUE;
    row.cells['test accuracy'].textContent =
      r.task === 'classification' ? percent(r.testAccuracy, 2) : `${num(r.testPsnr, 3)} dB`;
    row.cells.status.textContent =
      r.status === 'diverged'
        ? `diverged at step ${r.divergedAtStep}`
        : r.status === 'failed'
          ? `failed: ${r.error}`
          : 'ok';
  }
}
