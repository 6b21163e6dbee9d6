/**
 * The report view of a finished sweep: report.html's outcome table (the same rows, report/outcome.ts: mean ± 95%
 * interval over seeds, the recommended band) and the same charts, built from the same specifications
 * (report/charts.ts) and the same SweepResult, rendered in the page.
 *
 *     await showReport(container, result);
 */
import { sweepCharts } from '../report/charts.js';
import { lrLabel } from '../report/format.js';
import { outcomeTable } from '../report/outcome.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import { h } from './dom.js';
import { showChart } from './charting.js';

/** The outcome table with a line on the band. */
function outcomeView(result: SweepResult): HTMLElement {
  const { header, rows } = outcomeTable(result);
  const band = result.aggregate.band;
  const note = band
    ? `Green: the recommended learning-rate band (${band.lrs.map(lrLabel).join(', ')}), every rate whose mean reaches the best one's lower 95% bound; ★ the best.`
    : 'No recommended band: no learning rate ended ok on every seed.';
  return h(
    'figure',
    { class: 'outcome', 'data-chart': 'outcome' },
    h('figcaption', {}, h('strong', {}, 'Outcome per learning rate'), ' ', note),
    h(
      'table',
      { class: 'runs outcome-table' },
      h('tr', {}, ...header.map((c) => h('th', {}, c))),
      ...rows.map((r) => h('tr', { class: r.cls || null, 'data-lr': r.lr }, ...r.cells.map((c) => h('td', {}, c)))),
    ),
  );
}

/** Renders the outcome table and every report chart, with its title and caption, into `container` (replacing its content). */
export async function showReport(container: HTMLElement, result: SweepResult): Promise<void> {
  const charts = sweepCharts(result);
  const figures = charts.map((c) => {
    const plot = h('div', { class: 'plot' });
    return {
      chart: c,
      plot,
      figure: h(
        'figure',
        { class: 'chart', 'data-chart': c.id },
        h('figcaption', {}, h('strong', {}, c.title), ' ', c.caption),
        plot,
      ),
    };
  });
  container.replaceChildren(outcomeView(result), ...figures.map((f) => f.figure));
  for (const f of figures) await showChart(f.plot, f.chart.spec);
}
