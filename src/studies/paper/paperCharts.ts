/**
 * The reproduction report's charts as Vega-Lite specifications (pure, data
 * inline, the same look as the sweep report's charts): loss curves per
 * learning rate, per-neuron fluctuation histograms per layer, spread of the
 * spread per layer, participating / active / dead neurons, gradient norms
 * over training, loss against progress η × steps (equal-progress arm), and
 * participation and spread against the outcome for the shapes and MNIST arms.
 *
 *     for (const c of paperCharts(analysis, extras)) render(c.spec)
 *
 * One module per family of figures: loss (paperLossCharts.ts), fluctuation histograms (paperFluctuationHistogram.ts),
 * layers and neurons (paperLayerCharts.ts), shapes against MNIST (paperShapesVsMnistChart.ts); what they share in
 * paperChartBase.ts.
 */
import type { StudyAnalysis } from './paperAnalysis.js';
import { fluctuationHistogramChart } from './paperFluctuationHistogram.js';
import { gradientNormChart, neuronsChart, spreadChart } from './paperLayerCharts.js';
import { lossCurveChart } from './paperLossCharts.js';
import type { Chart } from '../../report/chartBase.js';

/** The main study's charts, in reading order. */
export function paperCharts(a: StudyAnalysis): Chart[] {
  return [lossCurveChart(a), fluctuationHistogramChart(a), spreadChart(a), neuronsChart(a), gradientNormChart(a)];
}
