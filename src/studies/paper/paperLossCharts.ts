/**
 * The reproduction report's loss figures as Vega-Lite specifications (pure, data inline): test loss per epoch, one
 * curve and band per learning rate, and test loss against progress η × steps for the equal-progress arm.
 *
 *     const charts = [lossCurveChart(analysis), progressChart(equalProgressAnalysis)];
 */
import type { StudyAnalysis } from './paperAnalysis.js';
import { logDomain } from './paperChartBase.js';
import { fitDomain, logTicks, lrColour, spec, type Chart } from '../../report/chartBase.js';
import { lrLabel } from '../../report/format.js';

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
