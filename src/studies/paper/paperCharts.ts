/**
 * The reproduction report's charts as Vega-Lite specifications (pure, data
 * inline, the same look as the sweep report's charts): loss curves per
 * learning rate, per-neuron fluctuation histograms per layer, spread of the
 * spread per layer, participating / active / dead neurons, gradient norms
 * over training, loss against progress η × steps (equal-progress arm), and
 * participation and spread against the outcome for the shapes and MNIST arms.
 *
 *     for (const c of paperCharts(analysis, extras)) render(c.spec)
 */
import type { LrStudy, StudyAnalysis } from './paperAnalysis.js';
import type { Interval } from '../../analysis/stats.js';
import { fitDomain, logTicks, lrColour, spec, type Chart } from '../../report/chartBase.js';
import { lrLabel } from '../../report/format.js';

/** The layers of the first learning rate that has any (one whose runs all failed has none). */
function layersOf(a: StudyAnalysis): { layer: string; units: number }[] {
  return a.lrs.find((s) => s.layers.length)?.layers ?? [];
}

/** A positive log domain over values, padded a little. */
function logDomain(values: number[]): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length === 0) return [1e-6, 1];
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? [lo / 2, hi * 2] : [lo / 1.15, hi * 1.15];
}

/** Test loss per epoch: the mean over seeds and its 95% band, one curve per learning rate. */
export function lossCurveChart(a: StudyAnalysis, id = 'paper-loss', title = 'Test loss per epoch'): Chart {
  // The lower band edge is kept within 50× of the mean: a t-interval over 2–3 seeds can reach below zero.
  const rows = a.lrs.flatMap((s) =>
    s.lossCurve.map((p) => ({
      lrLabel: lrLabel(s.lr),
      epoch: p.epoch,
      mean: p.mean,
      lo: Math.max(p.lo, p.mean / 50),
      hi: p.hi,
    })),
  );
  const fit = fitDomain(rows, true);
  const yTitle = a.task === 'reconstruction' ? 'test reconstruction MSE (log scale)' : 'test cross-entropy (log scale)';
  const y = { type: 'log', domain: fit.domain, nice: false };
  const colour = lrColour(a.lrs.map((s) => s.lr));
  return {
    id,
    title,
    caption:
      'Mean over seeds (line) and 95% interval (band) of the test loss after each epoch, per learning rate; every learning rate trains for the same epochs (the paper\'s "same training window").',
    spec: spec({
      width: 520,
      height: 300,
      data: { values: fit.rows },
      encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epoch' } },
      layer: [
        {
          mark: { type: 'area', opacity: 0.18 },
          encoding: {
            y: { field: 'lo', type: 'quantitative', scale: y },
            y2: { field: 'hi' },
            color: { ...colour, legend: null },
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            y: {
              field: 'mean',
              type: 'quantitative',
              title: yTitle,
              scale: y,
              axis: { values: logTicks(fit.domain), format: '~g' },
            },
            color: colour,
          },
        },
      ],
    }),
  };
}

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

/** Rows for a mean-and-interval chart over learning rates and a category. */
function ivRow(s: LrStudy, iv: Interval | null, extra: Record<string, unknown>) {
  return iv ? { lrLabel: lrLabel(s.lr), mean: iv.mean, lo: iv.lo, hi: iv.hi, n: iv.n, ...extra } : null;
}

/** Spread of the spread S per layer: mean over seeds with its 95% interval, learning rates side by side. */
export function spreadChart(a: StudyAnalysis): Chart {
  const layers = layersOf(a).map((l) => l.layer);
  const raw = a.lrs
    .flatMap((s) => s.layers.map((l) => ivRow(s, l.spreadOfSpread, { layer: l.layer })))
    .filter((r) => r !== null);
  const fit = fitDomain(raw, true);
  return {
    id: 'paper-spread',
    title: 'Spread of the spread per layer',
    caption:
      "S = std over a layer's neurons of their spread s_j (how far each neuron's mean incoming weight wandered in the last window). Large S: some neurons wander far while others stay put. Points: mean over seeds; bars: 95% interval.",
    spec: spec({
      width: 520,
      height: 260,
      data: { values: fit.rows },
      encoding: {
        x: { field: 'layer', type: 'nominal', sort: layers, title: 'layer', axis: { labelAngle: 0 } },
        xOffset: {
          field: 'lrLabel',
          type: 'ordinal',
          sort: [...a.lrs].sort((p, q) => p.lr - q.lr).map((s) => lrLabel(s.lr)),
        },
        color: lrColour(a.lrs.map((s) => s.lr)),
      },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            y: {
              field: 'mean',
              type: 'quantitative',
              title: 'spread of the spread S (log scale)',
              scale: { type: 'log', domain: fit.domain, nice: false },
              axis: { values: logTicks(fit.domain), format: '.0e' },
            },
          },
        },
      ],
    }),
  };
}

/** Participating, active, nearly inactive and dead hidden neurons per learning rate. */
export function neuronsChart(a: StudyAnalysis): Chart {
  const measures: [string, (s: LrStudy) => Interval | null][] = [
    ['participating (f_j ≥ τ·mean)', (s) => s.participating],
    ['effective (N·PR)', (s) => s.effectiveNeurons],
    ['active (a_j ≥ τ·mean)', (s) => s.active],
    ['nearly inactive', (s) => s.inactive],
    ['dead', (s) => s.dead],
  ];
  const units = a.lrs.find((s) => s.layers.length)?.hiddenUnits ?? 0;
  // Interval bars are cut at 0 and at the number of hidden units (a t-interval over 2–3 seeds can pass both).
  const rows = measures
    .flatMap(([m, get]) => a.lrs.map((s) => ivRow(s, get(s), { measure: m })))
    .filter((r) => r !== null)
    .map((r) => ({ ...r, lo: Math.max(0, r.lo), hi: Math.min(units, r.hi) }));
  const order = [...a.lrs].sort((p, q) => p.lr - q.lr).map((s) => lrLabel(s.lr));
  return {
    id: 'paper-neurons',
    title: 'Participating and inactive hidden neurons',
    caption: `Counts over all ${units} hidden units at the end of training, mean over seeds with 95% interval. Participating and effective count neurons whose weights move (fluctuation); active, nearly inactive and dead count neurons by their mean activation on the probe batch.`,
    spec: spec({
      data: { values: rows },
      facet: { field: 'measure', type: 'nominal', title: null, sort: measures.map(([m]) => m) },
      columns: 5,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 110,
        height: 200,
        encoding: {
          x: { field: 'lrLabel', type: 'ordinal', sort: order, title: 'learning rate', axis: { labelAngle: 0 } },
          color: lrColour(a.lrs.map((s) => s.lr)),
        },
        layer: [
          {
            mark: { type: 'bar', opacity: 0.85 },
            encoding: { y: { field: 'mean', type: 'quantitative', title: 'hidden units' } },
          },
          {
            mark: { type: 'rule', color: '#222', strokeWidth: 1.2 },
            encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { value: '#222' } },
          },
        ],
      },
    }),
  };
}

/** ‖∇W‖₂ of each layer on the probe batch at the end of every window, mean over seeds. */
export function gradientNormChart(a: StudyAnalysis): Chart {
  const layers = layersOf(a).map((l) => l.layer);
  const rows = a.lrs.flatMap((s) =>
    s.layers.flatMap((l) =>
      l.gradientNorm
        .filter((g) => g.weights > 0)
        .map((g) => ({ lrLabel: lrLabel(s.lr), layer: l.layer, step: g.endStep, norm: g.weights })),
    ),
  );
  return {
    id: 'paper-gradient-norms',
    title: 'Gradient norm per layer over training',
    caption:
      "L2 norm of each layer's weight gradient of the mean loss on the fixed probe batch, at the end of each recording window, mean over seeds.",
    spec: spec({
      data: { values: rows },
      facet: { field: 'layer', type: 'nominal', title: null, sort: layers },
      columns: 4,
      spec: {
        width: 180,
        height: 140,
        mark: { type: 'line', strokeWidth: 1.8, point: { size: 14 } },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: {
            field: 'norm',
            type: 'quantitative',
            title: '‖∇W‖₂ (log scale)',
            scale: { type: 'log' },
            axis: { format: '.0e', tickCount: 4 },
          },
          color: lrColour(a.lrs.map((s) => s.lr)),
        },
      },
    }),
  };
}

/** Test loss against progress η × steps for the equal-progress arm: curves that overlap mean "slower, not worse". */
export function progressChart(a: StudyAnalysis): Chart {
  const rows = a.lrs.flatMap((s) =>
    s.lossCurve.map((p) => ({
      lrLabel: lrLabel(s.lr),
      progress: (s.lr * s.steps * p.epoch) / Math.max(1, s.epochs),
      mean: p.mean,
    })),
  );
  const domain = logDomain(rows.map((r) => r.mean));
  return {
    id: 'paper-equal-progress',
    title: 'Equal progress: test loss against η × steps',
    caption:
      'Each learning rate trained for the same η × steps (the distance an optimizer with steps of size ≈ η can travel). Curves on top of each other: the smaller learning rate is slower, not worse; a curve that stays above is worse.',
    spec: spec({
      width: 520,
      height: 280,
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: {
          field: 'progress',
          type: 'quantitative',
          title: 'progress η × steps (log scale)',
          scale: { type: 'log' },
          axis: { format: '~g' },
        },
        y: {
          field: 'mean',
          type: 'quantitative',
          title: a.task === 'reconstruction' ? 'test reconstruction MSE (log scale)' : 'test loss (log scale)',
          scale: { type: 'log', domain, nice: false },
          axis: { values: logTicks(domain), format: '~g' },
        },
        color: lrColour(a.lrs.map((s) => s.lr)),
      },
    }),
  };
}

/** One scatter panel: a neuron measure against the outcome, one point per run. */
function scatterPanel(a: StudyAnalysis, title: string, x: 'effectiveNeurons' | 'spreadOfSpread', xTitle: string) {
  const rows = a.lrs.flatMap((s) =>
    s.perRun.map((r) => ({ lrLabel: lrLabel(s.lr), seed: r.seed, x: r[x], outcome: r.outcome })),
  );
  const yTitle = a.task === 'reconstruction' ? 'final test MSE' : 'final test accuracy';
  return {
    title,
    width: 250,
    height: 200,
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: xTitle,
        scale: { zero: false, ...(x === 'spreadOfSpread' ? { type: 'log' } : {}) },
        axis: { format: '~g', tickCount: 5 },
      },
      y: {
        field: 'outcome',
        type: 'quantitative',
        title: yTitle,
        scale: { zero: false },
        axis: { format: a.task === 'reconstruction' ? '~g' : '.1%' },
      },
      color: lrColour(a.lrs.map((s) => s.lr)),
      tooltip: [
        { field: 'lrLabel', title: 'learning rate' },
        { field: 'seed' },
        { field: 'x', format: '.4~g', title: xTitle },
        { field: 'outcome', format: '.4~g' },
      ],
    },
  };
}

/** Effective neurons and spread of the spread against the outcome, shapes next to MNIST. */
export function sideBySideChart(shapes: StudyAnalysis, mnist: StudyAnalysis): Chart {
  return {
    id: 'paper-shapes-vs-mnist',
    title: 'Participation and spread against the outcome: shapes autoencoder and MNIST classifier',
    caption:
      'One point per run. Left pair: effective number of moving hidden neurons (Σ N·PR over hidden layers); right pair: spread of the spread S (mean over layers). A claim that generalises shows the same ordering in both data sets.',
    spec: spec({
      hconcat: [
        scatterPanel(shapes, 'shapes: effective neurons', 'effectiveNeurons', 'effective neurons'),
        scatterPanel(mnist, 'MNIST: effective neurons', 'effectiveNeurons', 'effective neurons'),
        scatterPanel(shapes, 'shapes: spread of the spread', 'spreadOfSpread', 'S (log scale)'),
        scatterPanel(mnist, 'MNIST: spread of the spread', 'spreadOfSpread', 'S (log scale)'),
      ],
      resolve: { scale: { color: 'shared' } },
    }),
  };
}

/** The main study's charts, in reading order. */
export function paperCharts(a: StudyAnalysis): Chart[] {
  return [lossCurveChart(a), fluctuationHistogramChart(a), spreadChart(a), neuronsChart(a), gradientNormChart(a)];
}
