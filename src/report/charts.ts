/**
 * The report's charts as Vega-Lite specifications, built from a SweepResult.
 * Pure (no fs, no DOM): the Node report renders them to SVG and PNG
 * (src/store/render.ts), and a browser page can hand the same specs to
 * vega-embed. Data is inlined in each spec, so a spec is self-contained.
 *
 *     for (const c of sweepCharts(result)) render(c.spec) // c.id names the figure file
 *
 * The figures, in reading order: what the sweep reached (outcomeCharts.ts), the per-layer panels of fluctuation,
 * participation and spread (layerCharts.ts), the η-free measure against the outcome (scatterCharts.ts), the Δ histograms (histogramCharts.ts); their building blocks in
 * chartBase.ts.
 *
 * Conventions: learning rates on a log axis; colour by learning rate on a
 * sequential scale (viridis) wherever learning rate is not the x axis; colour
 * by layer (categorical) where it is; log y where the data spans decades;
 * axis titles name the quantity and its unit.
 */
import type { SweepResult } from '../analysis/sweepResult.js';
import type { Chart } from './chartBase.js';
import { histogramCharts } from './histogramCharts.js';
import { fluctuationChart, participationChart, spreadChart } from './layerCharts.js';
import { lossChart, outcomeChart } from './outcomeCharts.js';
import { effectiveRmsScatter } from './scatterCharts.js';

/**
 * Every chart of the report, in reading order, as self-contained Vega-Lite specifications (data inlined): what
 * report.html and the page draw, for vega-embed or any Vega-Lite renderer.
 *
 *     for (const chart of sweepCharts(result)) await vegaEmbed(`#${chart.id}`, chart.spec);
 */
export function sweepCharts(result: SweepResult): Chart[] {
  return [
    outcomeChart(result),
    lossChart(result),
    fluctuationChart(result),
    participationChart(result),
    spreadChart(result),
    ...[effectiveRmsScatter(result)].filter((c) => c !== null),
    ...histogramCharts(result),
  ];
}
