/**
 * The report view of a finished sweep: the same charts as report.html, built
 * from the same specifications (report/charts.ts) and the same SweepResult,
 * rendered in the page.
 *
 *     await showReport(container, result);
 */
import { sweepCharts } from '../report/charts.js';
import type { SweepResult } from '../core/analysis/sweepResult.js';
import { h } from './dom.js';
import { showChart } from './vegaView.js';

/** Renders every report chart, with its title and caption, into `container` (replacing its content). */
export async function showReport(container: HTMLElement, result: SweepResult): Promise<void> {
  const charts = sweepCharts(result);
  const figures = charts.map((c) => {
    const plot = h('div', { class: 'plot' });
    return { chart: c, plot, figure: h('figure', { class: 'chart', 'data-chart': c.id }, h('figcaption', {}, h('strong', {}, c.title), ' ', c.caption), plot) };
  });
  container.replaceChildren(...figures.map((f) => f.figure));
  for (const f of figures) await showChart(f.plot, f.chart.spec);
}
