/**
 * The reproduction report's per-neuron fluctuation histograms (pure, data inline): f_j binned on log-spaced edges
 * shared by every learning rate of a layer, one panel per layer, one step curve per learning rate.
 *
 *     const chart = fluctuationHistogramChart(analysis); // id 'paper-fluctuation-histograms'
 */
import type { StudyAnalysis } from './paperAnalysis.js';
import { layersOf, logDomain } from './paperChartBase.js';
import { lrColour, spec, type Chart } from '../../report/chartBase.js';
import { lrLabel } from '../../report/format.js';

/** Decades a fluctuation histogram spans below its largest value; neurons further down share the first bin. */
export const HISTOGRAM_DECADES = 6;

/**
 * Shared log-spaced bin edges per layer: `bins` bins up to the largest f_j over every learning rate, from the smallest
 * positive f_j or HISTOGRAM_DECADES decades below the largest, whichever is higher. (Under Adam a dead unit's weights
 * still drift by ~1e-40 per step; a range down to there would squeeze every moving neuron into one bin.)
 */
export function fluctuationBins(values: number[], bins = 24): number[] {
  const [lo0, hi] = logDomain(values);
  const lo = Math.max(lo0, hi / 10 ** HISTOGRAM_DECADES);
  const step = Math.log10(hi / lo) / bins;
  return Array.from({ length: bins + 1 }, (_, k) => lo * 10 ** (k * step));
}

/** Fraction of a layer's neurons (pooled over seeds) per bin of f_j; the first bin also holds every value below it (0 included), the last every value above. */
export function histogramRows(f: number[], edges: number[]): { x0: number; x1: number; fraction: number }[] {
  const counts = new Array(edges.length - 1).fill(0);
  for (const v of f) {
    const k = edges.findIndex((e, i) => i > 0 && v < e) - 1;
    counts[k === -2 ? counts.length - 1 : Math.max(0, k)]++;
  }
  return counts.map((c, k) => ({ x0: edges[k], x1: edges[k + 1], fraction: f.length ? c / f.length : 0 }));
}

/** Per-neuron fluctuation f_j histograms, one panel per layer, one step curve per learning rate. */
export function fluctuationHistogramChart(a: StudyAnalysis): Chart {
  const template = layersOf(a);
  const names = template.map((l) => `${l.layer} (${l.units} units)`);
  const rows = names.flatMap((layer, i) => {
    const edges = fluctuationBins(a.lrs.flatMap((s) => s.layers[i]?.neuronFluctuation ?? []));
    return a.lrs
      .filter((s) => s.layers[i])
      .flatMap((s) =>
        histogramRows(s.layers[i].neuronFluctuation, edges).map((h) => ({ layer, lrLabel: lrLabel(s.lr), ...h })),
      );
  });
  return {
    id: 'paper-fluctuation-histograms',
    title: 'Per-neuron fluctuation, per layer and learning rate',
    caption: `Distribution of the neurons' fluctuation f_j (RMS of the step changes of a neuron's incoming weights over the last recording window), pooled over seeds, as a fraction of the layer's neurons. Each panel spans at most ${HISTOGRAM_DECADES} decades: its leftmost bin also holds every neuron below it, the ones that barely move or not at all (dead units).`,
    spec: spec({
      data: { values: rows },
      facet: { field: 'layer', type: 'nominal', title: null, sort: names },
      columns: 2,
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 300,
        height: 150,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
        encoding: {
          x: {
            field: 'x0',
            type: 'quantitative',
            title: 'neuron fluctuation f_j (log scale)',
            scale: { type: 'log', nice: false },
            axis: { format: '.0e', tickCount: 4 },
          },
          y: { field: 'fraction', type: 'quantitative', title: 'fraction of neurons', axis: { format: '.0%' } },
          color: lrColour(a.lrs.map((s) => s.lr)),
        },
      },
    }),
  };
}
