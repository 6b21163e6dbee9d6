/**
 * The Δ-histogram heatmaps of the report: per layer, the weights' counts on the shared bins over training (window ×
 * bin), one panel per learning rate, with decade ticks and windows merged so a figure stays small. Pure.
 *
 *     const charts = histogramCharts(result); // one Chart per layer
 */
import { binRanges, magnitudeEdges, MAGNITUDE_BINS, ZERO_BIN } from '../engine/recording/histogram.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import { type Chart, spec } from './chartBase.js';
import { lrLabel, num } from './format.js';

/** Signed label of a bin edge: ±10^k (as "1e-3"), 0 for the zero bin. */
function edgeLabel(value: number): string {
  if (value === 0) return '0';
  const e = Math.round(Math.log10(Math.abs(value)));
  return `${value < 0 ? '−' : ''}1e${e}`;
}

/** Axis ticks of a heatmap within bins [first, last]: 0, and ±10^e on both sides for every k-th decade (k chosen so each side has at most 3). */
export function decadeTicks(first: number, last: number): { index: number; label: string }[] {
  const mags = magnitudeEdges();
  const side: { e: number; pos: number; neg: number }[] = [];
  for (let e = -12; e <= 1; e++) {
    const target = 10 ** e;
    let k = 0;
    for (let i = 1; i < mags.length; i++)
      if (Math.abs(Math.log(mags[i] / target)) < Math.abs(Math.log(mags[k] / target))) k = i;
    // Positive side: bin ZERO_BIN+1+k starts at mags[k]; negative side: bin MAGNITUDE_BINS−k ends at −mags[k] (its right edge).
    side.push({ e, pos: ZERO_BIN + 1 + k, neg: MAGNITUDE_BINS - k + 1 });
  }
  const inRange = (i: number) => i >= first && i <= last + 1;
  const perSide = Math.max(side.filter((d) => inRange(d.pos)).length, side.filter((d) => inRange(d.neg)).length);
  const step = [1, 2, 3, 4, 6].find((k) => Math.ceil(perSide / k) <= 3) ?? 12;
  const ticks: { index: number; label: string }[] = [{ index: ZERO_BIN + 0.5, label: '0' }];
  // Count decades down from the largest visible one, and leave out those within 4 octaves of the zero tick (labels would collide).
  const top = Math.max(...side.filter((d) => inRange(d.pos) || inRange(d.neg)).map((d) => d.e), -12);
  for (const d of side) {
    if ((top - d.e) % step !== 0 || d.pos - ZERO_BIN < 16) continue;
    ticks.push({ index: d.pos, label: edgeLabel(10 ** d.e) }, { index: d.neg, label: edgeLabel(-(10 ** d.e)) });
  }
  return ticks.filter((t) => inRange(t.index)).sort((a, b) => a.index - b.index);
}

/** Most heatmap rows per panel: more windows are merged in consecutive groups (adding counts, exact), so the figure stays small. */
export const MAX_HEATMAP_ROWS = 16;

/** Heatmap rows: the windows' counts, consecutive windows merged into at most MAX_HEATMAP_ROWS groups. */
export function heatmapRows(
  windows: readonly number[][],
  steps: readonly { startStep: number; endStep: number }[],
): { startStep: number; endStep: number; counts: number[] }[] {
  const group = Math.max(1, Math.ceil(windows.length / MAX_HEATMAP_ROWS));
  const rows: { startStep: number; endStep: number; counts: number[] }[] = [];
  for (let w = 0; w < windows.length; w += group) {
    const part = windows.slice(w, w + group);
    const counts = part[0].map((_, i) => part.reduce((s, c) => s + c[i], 0));
    rows.push({
      startStep: steps[w]?.startStep ?? w,
      endStep: steps[Math.min(w + group, windows.length) - 1]?.endStep ?? w + group,
      counts,
    });
  }
  return rows;
}

/** Columns of a grid of n panels that leave no cell empty where one can (8 → 4 × 2, 9 → 3 × 3, 6 → 3 × 2); 4 otherwise. */
export function gridColumns(n: number): number {
  if (n <= 4) return Math.max(1, n);
  return [4, 3, 5].find((c) => n % c === 0) ?? 4;
}

/** Per layer: the weights' Δ histogram over training as a heatmap (window × bin), one panel per learning rate. */
export function histogramCharts(result: SweepResult): Chart[] {
  const agg = result.aggregate;
  const names = agg.lrs.find((a) => a.layers.length)?.layers.map((l) => l.layer) ?? [];
  const ranges = binRanges();
  return names.map((name) => {
    let first = Infinity;
    let last = -Infinity;
    const cells: object[] = [];
    for (const a of agg.lrs) {
      const l = a.layers.find((x) => x.layer === name);
      if (!l) continue;
      for (const row of heatmapRows(l.histogram.weights.windows, a.windows)) {
        const total = row.counts.reduce((s, c) => s + c, 0);
        row.counts.forEach((c, i) => {
          if (c === 0) return;
          first = Math.min(first, i);
          last = Math.max(last, i);
          cells.push({
            lrLabel: lrLabel(a.lr),
            b0: i,
            b1: i + 1,
            s0: row.startStep,
            s1: row.endStep,
            share: c / total,
            count: c,
            range: `[${num(ranges[i].lo)}, ${num(ranges[i].hi)})`,
          });
        });
      }
    }
    const ticks = Number.isFinite(first) ? decadeTicks(first, last) : [];
    const labelExpr = `${ticks.map((t) => `datum.value == ${t.index} ? '${t.label}' : `).join('')}''`;
    const order = agg.lrs
      .map((a) => a.lr)
      .sort((x, y) => y - x)
      .map(lrLabel);
    const units = agg.lrs.find((a) => a.layers.length)!.layers.find((l) => l.layer === name)!.units;
    const missing = agg.lrs.filter((a) => !a.layers.some((l) => l.layer === name)).map((a) => lrLabel(a.lr));
    const oneWindow = agg.lrs.every((a) => a.windows.length <= 1);
    return {
      id: `histogram-${name}`,
      title: `Δ histogram of ${name} weights over training`,
      caption: `${name} (${units} units): share of the weight changes Δ of each recording window in each shared bin (4 per octave), summed over seeds; one panel per learning rate, training time downwards. The x axis is signed and logarithmic in |Δ|: negative changes left, the zero bin (|Δ| < 2^−40) in the middle, positive right; only the non-empty bin range is shown.${missing.length ? ` No panel for η = ${missing.join(', ')}: no run there ended ok.` : ''}${oneWindow ? ' One recording window per run: pass --windows 20 (the default) or --window-steps to see the histogram change over training.' : ''}`,
      spec: spec({
        data: { values: cells },
        facet: {
          field: 'lrLabel',
          type: 'ordinal',
          sort: order,
          title: null,
          header: { labelExpr: "'η = ' + datum.value", labelFontSize: 12 },
        },
        columns: gridColumns(order.length - missing.length),
        spec: {
          width: 300,
          height: 150,
          mark: { type: 'rect', aria: false }, // thousands of cells: no per-cell aria-label text in the SVG
          encoding: {
            x: {
              field: 'b0',
              type: 'quantitative',
              scale: { domain: [first, last + 1], nice: false, zero: false },
              axis: {
                title: 'Δ (signed, log |Δ|)',
                values: ticks.map((t) => t.index),
                labelExpr,
                labelAngle: 0,
                grid: false,
                labelFontSize: 10,
              },
            },
            x2: { field: 'b1' },
            y: {
              field: 's0',
              type: 'quantitative',
              scale: { reverse: true, nice: false, zero: true },
              axis: { title: 'training step', grid: false },
            },
            y2: { field: 's1' },
            color: {
              field: 'share',
              type: 'quantitative',
              title: 'share of Δ',
              scale: { type: 'log', scheme: 'viridis' },
              legend: { format: '.0e', gradientLength: 150 },
            },
            tooltip: [
              { field: 'range', title: 'Δ bin' },
              { field: 's0', title: 'from step' },
              { field: 's1', title: 'to step' },
              { field: 'count' },
              { field: 'share', format: '.3~e' },
            ],
          },
        },
        resolve: { scale: { x: 'shared', y: 'independent' } },
      }),
    };
  });
}
