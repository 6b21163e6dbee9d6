/**
 * What a measure says beside η, as a Vega-Lite specification (conventions in charts.ts): the weights' effective step
 * RMS Δ/η of each layer (a measure free of η's scale) against the outcome, one point per run that ended ok, coloured
 * by learning rate, one panel per layer. Points of one colour that rise or fall together are the within-η
 * association of the correlation table; colours stacked in bands are η alone.
 *
 *     const chart = effectiveRmsScatter(result); // id 'effective-rms-vs-outcome', null for records without the measure
 */
import type { SweepResult } from '../analysis/sweepResult.js';
import { type Chart, lrColour, spec } from './chartBase.js';
import { lrLabel } from './format.js';

/** One point per ok run and layer: the weights' effective step RMS (last window) against the outcome; null when no run has it. */
export function effectiveRmsScatter(result: SweepResult): Chart | null {
  const agg = result.aggregate;
  const lrs = agg.lrs.map((a) => a.lr);
  const field = agg.outcome.field;
  const rows = result.runs.flatMap((r) => {
    const outcome = r[field];
    if (r.status !== 'ok' || outcome === null || !Number.isFinite(outcome)) return [];
    return r.layers
      .filter((l) => typeof l.effectiveRms === 'number' && Number.isFinite(l.effectiveRms) && l.effectiveRms > 0)
      .map((l) => ({ lr: r.lr, lrLabel: lrLabel(r.lr), seed: r.seed, layer: l.layer, x: l.effectiveRms, outcome }));
  });
  if (rows.length === 0) return null;
  const layers = [...new Set(rows.map((r) => r.layer))];
  const accuracy = field === 'testAccuracy';
  return {
    id: 'effective-rms-vs-outcome',
    title: `Effective step RMS Δ/η vs ${agg.outcome.label}`,
    caption: `Each point one run that ended ok: its weights' effective step RMS Δ/η in the last recording window (free of η's scale) against its final ${agg.outcome.label}, coloured by learning rate, one panel per layer. A slope within one colour is what a run that fluctuated more than its siblings at the same η gained; colours stacked in bands are η alone (the correlation table tests both).`,
    spec: spec({
      data: { values: rows },
      facet: { field: 'layer', type: 'nominal', title: null, sort: layers },
      columns: Math.min(3, layers.length),
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: layers.length > 1 ? 260 : 560,
        height: 260,
        mark: { type: 'point', filled: true, size: 55, opacity: 0.85 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: { format: '~g' },
            title: 'effective step RMS Δ/η of weights (log)',
          },
          y: {
            field: 'outcome',
            type: 'quantitative',
            scale: { zero: false },
            axis: accuracy ? { format: '.0%' } : {},
            title: agg.outcome.label,
          },
          color: lrColour(lrs),
          tooltip: [
            { field: 'lrLabel', title: 'learning rate' },
            { field: 'seed' },
            { field: 'layer' },
            { field: 'x', title: 'effective RMS Δ/η', format: '.4~g' },
            { field: 'outcome', title: agg.outcome.label, format: '.4~g' },
          ],
        },
      },
    }),
  };
}
