/**
 * The LR range test's charts as Vega-Lite specifications, built from an
 * LrFindResult: loss against the learning rate with the suggestions marked,
 * and what the recorder saw along the ramp (gradient scale, participation,
 * dead units). Pure; rendered by src/store/render.ts like the sweep report's.
 *
 *     for (const c of lrFindCharts(result)) render(c.spec)
 */
import type { LrFindResult } from '../engine/training/lrFind.js';
import { spec, type Chart } from './chartBase.js';
import { lrLabel, num } from './format.js';

/** Powers of ten within the domain, the ramp's axis ticks. */
function decades(domain: [number, number]): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(domain[0]) - 1e-9); e <= Math.floor(Math.log10(domain[1]) + 1e-9); e++)
    out.push(Number(`1e${e}`));
  return out;
}

const LR_X = (domain: [number, number]) => ({
  field: 'lr',
  type: 'quantitative',
  title: 'learning rate η (log scale)',
  scale: { type: 'log', domain, nice: false },
  axis: {
    values: decades(domain),
    grid: true,
    labelExpr: "datum.value >= 0.001 ? format(datum.value, '~g') : replace(format(datum.value, '.0e'), 'e-0', 'e-')",
  },
});

/** Vertical rules at the suggestions, labelled, in every panel. */
function suggestionLayers(r: LrFindResult) {
  const values = r.suggestions.map((s) => ({ lr: s.lr, label: `${s.name} ${num(s.lr)}` }));
  if (values.length === 0) return [];
  return [
    {
      data: { values },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#c0392b', strokeWidth: 1.2 },
      encoding: { x: { field: 'lr', type: 'quantitative' } },
    },
    {
      data: { values },
      mark: {
        type: 'text',
        angle: 270,
        align: 'right',
        baseline: 'bottom',
        dx: -4,
        dy: -3,
        fontSize: 10,
        color: '#c0392b',
      },
      encoding: { x: { field: 'lr', type: 'quantitative' }, y: { value: 4 }, text: { field: 'label' } },
    },
  ];
}

function domainOf(r: LrFindResult): [number, number] {
  const lrs = [...r.points.map((p) => p.lr), ...r.suggestions.map((s) => s.lr)];
  return [Math.min(r.options.start, ...lrs), Math.max(...lrs, r.options.start * 10)];
}

function lossChart(r: LrFindResult): Chart {
  const domain = domainOf(r);
  const rows = r.points.flatMap((p) => [
    { lr: p.lr, loss: p.loss, series: 'loss per step' },
    { lr: p.lr, loss: p.smoothed, series: 'smoothed (β = 0.98)' },
  ]);
  const best = Math.min(...r.points.map((p) => p.smoothed));
  const top = Math.max(...r.points.slice(0, 5).map((p) => p.smoothed), best) * 1.6; // the explosion at the end would flatten the rest
  const bottom = Math.max(0, Math.min(...r.points.map((p) => p.loss)) * 0.9);
  return {
    id: 'lr-find-loss',
    title: 'Training loss along the learning-rate ramp',
    caption: `Loss of each step (grey) and its bias-corrected moving average (black) as η grows from ${lrLabel(r.options.start)} to ${lrLabel(r.options.end)} over ${r.options.steps} steps; the test stopped ${stopWords(r)}. Dashed: the suggestions (see the table). The y axis is cut at 1.6 × the early loss, so the explosion at the end runs off the top.`,
    spec: spec({
      width: 640,
      height: 300,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', clip: true, strokeWidth: 1.6 },
          encoding: {
            x: LR_X(domain),
            y: {
              field: 'loss',
              type: 'quantitative',
              title: 'training loss',
              scale: { domain: [bottom, top], clamp: true, zero: false },
            },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              legend: { labelLimit: 240, orient: 'bottom-left' },
              scale: { domain: ['loss per step', 'smoothed (β = 0.98)'], range: ['#bbbbbb', '#111111'] },
            },
          },
        },
        ...suggestionLayers(r),
      ],
    }),
  };
}

function layerRows(r: LrFindResult, value: (l: LrFindResult['windows'][number]['layers'][number]) => number | null) {
  return r.windows.flatMap((w) =>
    w.layers
      .map((l) => ({ lr: w.lrMean, layer: l.layer, value: value(l) }))
      .filter((x) => x.value !== null && Number.isFinite(x.value)),
  );
}

function panel(
  r: LrFindResult,
  title: string,
  y: object,
  value: (l: LrFindResult['windows'][number]['layers'][number]) => number | null,
) {
  return {
    title,
    width: 300,
    height: 220,
    layer: [
      {
        data: { values: layerRows(r, value) },
        mark: { type: 'line', point: { size: 12 }, clip: true },
        encoding: {
          x: LR_X(domainOf(r)),
          y: { field: 'value', type: 'quantitative', ...y },
          color: { field: 'layer', type: 'nominal', title: 'layer' },
        },
      },
      ...suggestionLayers(r),
    ],
  };
}

function fluctuationChart(r: LrFindResult): Chart {
  return {
    id: 'lr-find-fluctuation',
    title: 'Gradient scale along the ramp',
    caption:
      "RMS of each layer's step change Δ divided by the learning rate in force (for SGD, the RMS of the gradient the step followed), weights (left) and biases (right), per recording window. A scale that climbs with η marks the edge of stability.",
    spec: spec({
      hconcat: [
        panel(
          r,
          'weights: RMS Δ / η',
          { title: 'RMS Δ / η (log)', scale: { type: 'log' } },
          (l) => l.weightsGradientScale,
        ),
        panel(
          r,
          'biases: RMS Δ / η',
          { title: 'RMS Δ / η (log)', scale: { type: 'log' } },
          (l) => l.biasesGradientScale,
        ),
      ],
      resolve: { scale: { y: 'independent' } },
    }),
  };
}

function participationChart(r: LrFindResult): Chart {
  return {
    id: 'lr-find-participation',
    title: 'Participating neurons and dead units along the ramp',
    caption: `Left: share of each layer's neurons whose weight fluctuation reaches τ = ${r.config.tau} of the layer's mean; middle: participation ratio PR; right: share of hidden units dead on the probe batch (the first ${r.config.probeSize} training examples).`,
    spec: spec({
      hconcat: [
        panel(
          r,
          'participating (% of units)',
          { title: 'participating', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          (l) => l.participating / l.units,
        ),
        panel(r, 'participation ratio', { title: 'PR', scale: { domain: [0, 1] } }, (l) => l.participationRatio),
        panel(
          r,
          'dead units (% of units)',
          { title: 'dead', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          (l) => (l.deadUnits === null ? null : l.deadUnits / l.units),
        ),
      ],
    }),
  };
}

/** How the ramp ended, in words. */
export function stopWords(r: LrFindResult): string {
  const at = r.points[r.points.length - 1];
  if (r.stop.reason === 'end') return `at its end (η = ${lrLabel(r.options.end)}) without the loss exploding`;
  if (r.stop.reason === 'exploded')
    return `at step ${r.stop.step} (η = ${lrLabel(at.lr)}), when the smoothed loss passed ${r.options.stopFactor} × its best`;
  return `at step ${r.stop.step}, when the loss or Δ stopped being finite`;
}

/** Every chart of the LR range test report. */
export function lrFindCharts(r: LrFindResult): Chart[] {
  return [lossChart(r), fluctuationChart(r), participationChart(r)];
}
