/**
 * The report's charts as Vega-Lite specifications, built from a SweepResult.
 * Pure (no fs, no DOM): the Node report renders them to SVG and PNG
 * (src/store/render.ts), and a browser page can hand the same specs to
 * vega-embed. Data is inlined in each spec, so a spec is self-contained.
 *
 *     for (const c of sweepCharts(result)) render(c.spec) // c.id names the figure file
 *
 * Conventions: learning rates on a log axis; colour by learning rate on a
 * sequential scale (viridis) wherever learning rate is not the x axis; colour
 * by layer (categorical) where it is; log y where the data spans decades;
 * axis titles name the quantity and its unit.
 */
import type { LrAggregate, SweepAggregate } from '../analysis/aggregate.js';
import type { Interval } from '../analysis/stats.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import {
  type Chart,
  lrAxis,
  logTicks,
  lrScale,
  lrColour,
  fitDomain,
  lo,
  hi,
  spec,
  meanWithInterval,
} from './chartBase.js';
import { histogramCharts } from './histogramCharts.js';
import { lrLabel } from './format.js';

/** Outcome (accuracy or PSNR) vs learning rate: each seed, the mean, its interval, diverged runs and the band. */
function outcomeChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  const lrs = agg.lrs.map((a) => a.lr);
  const accuracy = agg.outcome.field === 'testAccuracy';
  const fit = fitDomain(
    agg.lrs
      .filter((a) => a.outcome)
      .map((a) => ({
        lr: a.lr,
        lrLabel: lrLabel(a.lr),
        mean: a.outcome!.mean,
        lo: lo(a.outcome),
        hi: hi(a.outcome),
        n: a.outcome!.n,
      })),
    false,
    accuracy ? [0, 1] : undefined,
  );
  const runs = agg.lrs.flatMap((a) =>
    a.runs
      .filter((r) => r.status === 'ok' && r.outcome !== null)
      .map((r) => ({ lr: a.lr, lrLabel: lrLabel(a.lr), seed: r.seed, value: r.outcome })),
  );
  const values = runs.map((r) => r.value as number);
  const domain: [number, number] = accuracy
    ? [0, 1]
    : [Math.min(fit.domain[0], ...values), Math.max(fit.domain[1], ...values)];
  const bottom = domain[0];
  const broken = agg.lrs.flatMap((a) =>
    a.runs
      .filter((r) => r.status !== 'ok')
      .map((r) => ({
        lr: a.lr,
        lrLabel: lrLabel(a.lr),
        seed: r.seed,
        value: bottom,
        status: r.status === 'diverged' ? `diverged at step ${r.divergedAtStep}` : `failed: ${r.error ?? ''}`,
      })),
  );
  const yTitle = accuracy ? 'final test accuracy (%)' : 'final test PSNR (dB)';
  const yAxis = { format: accuracy ? '.0%' : undefined };
  const layers: object[] = [];
  if (agg.band) {
    layers.push({
      data: { values: [{ x: agg.band.min / 1.25, x2: agg.band.max * 1.25, label: 'recommended' }] },
      mark: { type: 'rect', color: '#2ca02c', opacity: 0.1 },
      encoding: { x: { field: 'x', type: 'quantitative' }, x2: { field: 'x2' } },
    });
    layers.push({
      data: { values: [{ x: Math.sqrt(agg.band.min * agg.band.max), label: 'recommended band' }] },
      mark: { type: 'text', color: '#2a7a2a', dy: 4, baseline: 'top', fontSize: 11, y: 0 },
      encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  layers.push({
    data: { values: fit.rows },
    layer: meanWithInterval(
      { title: yTitle, format: yAxis.format, scale: { domain, nice: false, zero: false } },
      undefined,
    ),
  });
  layers.push({
    data: { values: runs },
    mark: { type: 'point', size: 40, opacity: 0.9, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'lr', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: lrColour(lrs),
      tooltip: [
        { field: 'lrLabel', title: 'learning rate' },
        { field: 'seed' },
        { field: 'value', title: agg.outcome.label, format: '.4~g' },
      ],
    },
  });
  if (broken.length) {
    layers.push({
      data: { values: broken },
      mark: { type: 'point', shape: 'cross', size: 90, color: '#d62728', filled: true },
      encoding: {
        x: { field: 'lr', type: 'quantitative' },
        y: { field: 'value', type: 'quantitative', title: yTitle },
        tooltip: [{ field: 'lrLabel', title: 'learning rate' }, { field: 'seed' }, { field: 'status' }],
      },
    });
  }
  return {
    id: 'accuracy',
    title: `Final ${agg.outcome.label} vs learning rate`,
    caption: `Circles: each seed; line and bars: mean and 95% interval over seeds${broken.length ? '; red crosses at the bottom: runs that diverged or failed (no outcome)' : ''}${agg.band ? `; shaded: the recommended band ${agg.band.min === agg.band.max ? `η = ${lrLabel(agg.band.min)}` : `${lrLabel(agg.band.min)}–${lrLabel(agg.band.max)}`}` : ''}.`,
    spec: spec({
      width: 560,
      height: 320,
      encoding: { x: { field: 'lr', type: 'quantitative', scale: lrScale(lrs), axis: lrAxis(lrs) } },
      layer: layers,
      resolve: { scale: { color: 'independent' } },
    }),
  };
}

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

function fluctuationChart(result: SweepResult): Chart {
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

function participationChart(result: SweepResult): Chart {
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

function spreadChart(result: SweepResult): Chart {
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

/** Loss over training (per recording window and per epoch), or, with fewer than 3 windows, final loss vs learning rate. */
function lossChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  const lrs = agg.lrs.map((a) => a.lr);
  const windows = Math.max(0, ...agg.lrs.map((a) => a.windows.filter((w) => w.trainLoss).length));
  const yTitle = agg.outcome.field === 'testAccuracy' ? 'cross-entropy (nats, log)' : 'mean squared error (log)';
  if (windows >= 3) {
    const rows: object[] = [];
    for (const a of agg.lrs) {
      for (const w of a.windows)
        if (w.trainLoss)
          rows.push({
            lr: a.lr,
            lrLabel: lrLabel(a.lr),
            step: w.endStep,
            loss: w.trainLoss.mean,
            split: 'train (per window)',
          });
      const ok = result.runs.find((r) => r.lr === a.lr && r.status === 'ok');
      const stepsPerEpoch = ok && a.epochs.length ? ok.steps / a.epochs.length : null;
      if (stepsPerEpoch)
        for (const e of a.epochs)
          if (e.testLoss)
            rows.push({
              lr: a.lr,
              lrLabel: lrLabel(a.lr),
              step: e.epoch * stepsPerEpoch,
              loss: e.testLoss.mean,
              split: 'test (per epoch)',
            });
    }
    const losses = rows.map((r) => (r as { loss: number }).loss).filter((v) => v > 0 && Number.isFinite(v));
    const lossDomain: [number, number] = [Math.min(...losses) / 1.2, Math.max(...losses) * 1.2];
    return {
      id: 'loss',
      title: 'Loss over training',
      caption:
        'Solid: mean training loss over each recording window; dashed: test loss at the end of each epoch. Means over seeds, coloured by learning rate.',
      spec: spec({
        width: 560,
        height: 320,
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2, point: false },
        encoding: {
          x: {
            field: 'step',
            type: 'quantitative',
            title: 'training step (optimizer updates)',
            scale: { domainMin: 0 },
          },
          y: {
            field: 'loss',
            type: 'quantitative',
            scale: { type: 'log', domain: lossDomain, nice: false },
            axis: { values: logTicks(lossDomain), format: '~g' },
            title: yTitle,
          },
          color: lrColour(lrs),
          strokeDash: {
            field: 'split',
            type: 'nominal',
            title: 'split',
            scale: {
              domain: ['train (per window)', 'test (per epoch)'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
          },
          detail: { field: 'split' },
          tooltip: [
            { field: 'lrLabel', title: 'learning rate' },
            { field: 'split' },
            { field: 'step' },
            { field: 'loss', format: '.4~g' },
          ],
        },
      }),
    };
  }
  const raw = agg.lrs.flatMap((a) => {
    const last = a.epochs[a.epochs.length - 1];
    return [
      last?.trainLoss
        ? {
            lr: a.lr,
            lrLabel: lrLabel(a.lr),
            split: 'train (last epoch)',
            mean: last.trainLoss.mean,
            lo: last.trainLoss.lo,
            hi: last.trainLoss.hi,
            n: last.trainLoss.n,
          }
        : null,
      last?.testLoss
        ? {
            lr: a.lr,
            lrLabel: lrLabel(a.lr),
            split: 'test (end)',
            mean: last.testLoss.mean,
            lo: last.testLoss.lo,
            hi: last.testLoss.hi,
            n: last.testLoss.n,
          }
        : null,
    ].filter((r) => r !== null);
  });
  const fit = fitDomain(raw, true);
  return {
    id: 'loss',
    title: 'Final loss vs learning rate',
    caption:
      'Too few recording windows for curves (train with more epochs or --window-steps): mean training loss of the last epoch and final test loss, mean and 95% interval over seeds.',
    spec: spec({
      width: 560,
      height: 320,
      data: { values: fit.rows },
      encoding: { x: { field: 'lr', type: 'quantitative', scale: lrScale(lrs), axis: lrAxis(lrs) } },
      layer: meanWithInterval(
        { title: yTitle, scale: { type: 'log', domain: fit.domain, nice: false }, values: logTicks(fit.domain) },
        { field: 'split', type: 'nominal', title: 'split', scale: { scheme: 'set1' } },
      ),
    }),
  };
}

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
    ...histogramCharts(result),
  ];
}
