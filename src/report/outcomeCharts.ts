/**
 * What the sweep reached, as Vega-Lite specifications (pure, data inline; conventions in charts.ts): the final outcome
 * (accuracy or PSNR) against the learning rate, and the loss over training (or, with too few recording windows, the
 * final loss against the learning rate).
 *
 *     const charts = [outcomeChart(result), lossChart(result)]; // ids 'accuracy' and 'loss'
 */
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
import { lrLabel } from './format.js';

/** Outcome (accuracy or PSNR) vs learning rate: each seed, the mean, its interval, diverged runs and the band. */
export function outcomeChart(result: SweepResult): Chart {
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

const TRAIN = 'train (per window)';
const TEST = 'test (per epoch)';

/** Loss over training (per recording window and per epoch), or, with fewer than 3 windows, final loss vs learning rate. */
export function lossChart(result: SweepResult): Chart {
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
            split: TRAIN,
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
              split: TEST,
            });
    }
    const losses = rows.map((r) => (r as { loss: number }).loss).filter((v) => v > 0 && Number.isFinite(v));
    const lossDomain: [number, number] = [Math.min(...losses) / 1.2, Math.max(...losses) * 1.2];
    return {
      id: 'loss',
      title: 'Loss over training',
      caption:
        'Solid: mean training loss over each recording window; dashed with dots: test loss at the end of each epoch. Means over seeds, coloured by learning rate.',
      spec: spec({
        width: 560,
        height: 320,
        data: { values: rows },
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
          tooltip: [
            { field: 'lrLabel', title: 'learning rate' },
            { field: 'split' },
            { field: 'step' },
            { field: 'loss', format: '.4~g' },
          ],
        },
        layer: [
          {
            mark: { type: 'line', strokeWidth: 2, point: false },
            encoding: {
              strokeDash: {
                field: 'split',
                type: 'nominal',
                title: 'split',
                scale: {
                  domain: [TRAIN, TEST],
                  range: [
                    [1, 0],
                    [5, 3],
                  ],
                },
              },
              detail: { field: 'split' },
            },
          },
          // the test loss as points too: with one epoch its line is a single point, which a line mark does not draw
          {
            transform: [{ filter: { field: 'split', equal: TEST } }],
            mark: { type: 'point', filled: true, size: 45 },
          },
        ],
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
