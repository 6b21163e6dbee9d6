/**
 * The reproduction report's comparison of its two data sets (pure, data inline): effective neurons and spread of the
 * spread against the outcome, one point per run, the shapes autoencoder next to the MNIST classifier.
 *
 *     const chart = sideBySideChart(shapes, mnist); // id 'paper-shapes-vs-mnist'
 */
import type { StudyAnalysis } from './paperAnalysis.js';
import { lrColour, spec, type Chart } from '../../report/chartBase.js';
import { lrLabel } from '../../report/format.js';

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
