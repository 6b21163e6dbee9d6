/**
 * The per-layer panels of the report, as Vega-Lite specifications (pure, data inline; conventions in charts.ts): each
 * figure is two panels of a per-layer statistic against the learning rate, one line per layer: weight and bias
 * fluctuation, participating neurons and participation ratio, the spread of the spread and its coefficient of variation.
 *
 *     const charts = [fluctuationChart(result), participationChart(result), spreadChart(result)];
 */
import type { LrAggregate, SweepAggregate } from '../analysis/aggregate.js';
import type { Interval } from '../analysis/stats.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import { type Chart, lrAxis, logTicks, lrScale, fitDomain, spec, meanWithInterval } from './chartBase.js';
import { lrLabel } from './format.js';

/** Rows of (learning rate, layer) with an interval for a per-layer statistic. */
function layerRows(agg: SweepAggregate, pick: (l: LrAggregate['layers'][number]) => Interval | null) {
  return agg.lrs.flatMap((a) =>
    a.layers
      .map((l) => {
        const iv = pick(l);
        return iv
          ? {
              lr: a.lr,
              lrLabel: lrLabel(a.lr),
              layer: `${l.layer} (${l.units})`,
              mean: iv.mean,
              lo: iv.lo as number | null,
              hi: iv.hi as number | null,
              n: iv.n,
            }
          : null;
      })
      .filter((r) => r !== null),
  );
}

const LAYER_COLOUR = { field: 'layer', type: 'nominal', title: 'layer (units)', scale: { scheme: 'tableau10' } };

/** A panel of a per-layer statistic vs learning rate. */
function layerPanel(
  agg: SweepAggregate,
  title: string,
  y: { title: string; log?: boolean; format?: string; bounds?: [number, number] },
  pick: (l: LrAggregate['layers'][number]) => Interval | null,
): object {
  const lrs = agg.lrs.map((a) => a.lr);
  const fit = fitDomain(layerRows(agg, pick), y.log ?? false, y.bounds);
  return {
    title,
    width: 320,
    height: 240,
    data: { values: fit.rows },
    encoding: { x: { field: 'lr', type: 'quantitative', scale: lrScale(lrs), axis: lrAxis(lrs) } },
    layer: meanWithInterval(
      {
        title: y.title,
        scale: { type: y.log ? 'log' : 'linear', domain: fit.domain, nice: false, ...(y.log ? {} : { zero: false }) },
        format: y.format,
        values: y.log ? logTicks(fit.domain) : undefined,
      },
      LAYER_COLOUR,
    ),
  };
}

/** RMS Δ per step of the weights and biases of each layer vs learning rate. */
export function fluctuationChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  return {
    id: 'fluctuation',
    title: 'Weight and bias fluctuation vs learning rate',
    caption:
      "RMS of the per-step change Δ of each layer's weights (left) and biases (right), in the parameters' own units, from each run's last recording window; mean and 95% interval over seeds (bars are cut at the frame).",
    spec: spec({
      hconcat: [
        layerPanel(agg, 'weights', { title: 'RMS Δ per step (log)', log: true }, (l) => l.weights.rms),
        layerPanel(agg, 'biases', { title: 'RMS Δ per step (log)', log: true }, (l) => l.biases.rms),
      ],
      resolve: { scale: { y: 'independent' } },
    }),
  };
}

/** Participating neurons and participation ratio of each layer vs learning rate. */
export function participationChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  const tau = result.config.tau;
  return {
    id: 'participation',
    title: 'Participating neurons vs learning rate',
    caption: `Left: neurons whose fluctuation f_j reaches τ = ${tau} of the layer's mean, as a share of the layer. Right: participation ratio PR = (Σf)²/(N·Σf²), 1 when all neurons move alike. Weights, last window; mean and 95% interval over seeds.`,
    spec: spec({
      hconcat: [
        layerPanel(
          agg,
          'participating neurons',
          { title: 'participating (% of units)', format: '.0%', bounds: [0, 1] },
          (l) => frac(l.weights.participating, l.units),
        ),
        layerPanel(
          agg,
          'participation ratio',
          { title: 'participation ratio PR', bounds: [0, 1] },
          (l) => l.weights.participationRatio,
        ),
      ],
    }),
  };
}

/** An interval divided by the layer size. */
function frac(iv: Interval | null, units: number): Interval | null {
  return iv && { mean: iv.mean / units, lo: iv.lo / units, hi: iv.hi / units, n: iv.n };
}

/** Spread of the spread and its coefficient of variation of each layer vs learning rate. */
export function spreadChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  return {
    id: 'spread',
    title: 'Spread of the spread vs learning rate',
    caption:
      "Left: S = std over neurons of each neuron's spread s_j (how unequally neurons wander). Right: its coefficient of variation S / mean s_j (scale-free). Weights, last window; mean and 95% interval over seeds.",
    spec: spec({
      hconcat: [
        layerPanel(agg, 'spread of the spread S', { title: 'S (log)', log: true }, (l) => l.weights.spreadOfSpread),
        layerPanel(
          agg,
          'coefficient of variation',
          { title: 'S / mean s_j', bounds: [0, Infinity] },
          (l) => l.weights.spreadCv,
        ),
      ],
      resolve: { scale: { y: 'independent' } },
    }),
  };
}
