/**
 * The reproduction report's per-layer and per-neuron figures (pure, data inline): the spread of the spread per layer,
 * the participating / effective / active / nearly inactive / dead hidden neurons, and each layer's gradient norm over
 * training; colour by learning rate.
 *
 *     const charts = [spreadChart(analysis), neuronsChart(analysis), gradientNormChart(analysis)];
 */
import type { LrStudy, StudyAnalysis } from './paperAnalysis.js';
import { layersOf } from './paperChartBase.js';
import type { Interval } from '../../analysis/stats.js';
import { fitDomain, logTicks, lrColour, spec, type Chart } from '../../report/chartBase.js';
import { lrLabel } from '../../report/format.js';

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
