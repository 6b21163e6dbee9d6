/**
 * The report's charts as Vega-Lite specifications, built from a SweepResult.
 * Pure (no fs, no DOM): the Node report renders them to SVG and PNG
 * (src/node/render.ts), and a browser page can hand the same specs to
 * vega-embed. Data is inlined in each spec, so a spec is self-contained.
 *
 *     for (const c of sweepCharts(result)) render(c.spec) // c.id names the figure file
 *
 * Conventions: learning rates on a log axis; colour by learning rate on a
 * sequential scale (viridis) wherever learning rate is not the x axis; colour
 * by layer (categorical) where it is; log y where the data spans decades;
 * axis titles name the quantity and its unit.
 */
import type { LrAggregate, SweepAggregate } from '../core/analysis/aggregate.js';
import { binRanges, magnitudeEdges, MAGNITUDE_BINS, ZERO_BIN } from '../core/analysis/histogram.js';
import type { Interval } from '../core/analysis/stats.js';
import type { SweepResult } from '../core/analysis/sweepResult.js';
import { lrLabel, num } from './format.js';

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** One chart of the report. */
export interface Chart {
  /** file name stem under figures/ */
  id: string;
  title: string;
  /** one or two sentences on how to read it */
  caption: string;
  spec: VegaLiteSpec;
}

const FONT = 'Helvetica Neue, Helvetica, Arial, DejaVu Sans, sans-serif';

/** Shared look: quiet axes and grid, readable sizes for print. */
export const CHART_CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null, continuousWidth: 340, continuousHeight: 230 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#222', labelColor: '#333', gridColor: '#ebebeb', domainColor: '#777', tickColor: '#777' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', titleColor: '#222' },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', labelColor: '#222' },
  title: { fontSize: 13, fontWeight: 'normal', anchor: 'start' },
};

/** The learning-rate axis: a tick and grid line at each learning rate of the sweep, none between. */
function lrAxis(lrs: number[]) {
  return { title: 'learning rate η (log scale)', values: [...lrs].sort((a, b) => a - b), format: '~g', grid: true, labelFlush: false };
}

/** Tick values for a log axis over `domain`: the powers of ten, with 2× and 5× when it spans less than two decades. */
export function logTicks(domain: [number, number]): number[] {
  const ticks: number[] = [];
  const steps = Math.log10(domain[1] / domain[0]) < 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(domain[0])); e <= Math.ceil(Math.log10(domain[1])); e++) {
    for (const m of steps) {
      const v = Number((m * 10 ** e).toPrecision(1));
      if (v >= domain[0] && v <= domain[1]) ticks.push(v);
    }
  }
  return ticks;
}

/** The x scale for learning rates: log, padded by a factor 1.6 either side so end points are not on the frame. */
function lrScale(lrs: number[]) {
  return { type: 'log', domain: [Math.min(...lrs) / 1.6, Math.max(...lrs) * 1.6], nice: false };
}

/** Sequential colour by learning rate, ordered from small to large (viridis, without its palest yellow). */
function lrColour(lrs: number[], title = 'learning rate') {
  const sorted = [...lrs].sort((a, b) => a - b);
  return { field: 'lrLabel', type: 'ordinal', title, sort: sorted.map(lrLabel), scale: { domain: sorted.map(lrLabel), scheme: { name: 'viridis', extent: [0, 0.88] } } };
}

/** Rows of a mean-and-interval chart. */
interface IntervalRow {
  mean: number;
  lo: number | null;
  hi: number | null;
}

/**
 * A y domain that fits the means with some room, and the rows with their interval bars cut at it. With two or three
 * seeds a t-interval can be far wider than the spread of the means (t(0.975, 1) = 12.7), and can reach below zero on a
 * log axis; cutting the bars at the frame keeps the means readable. `bounds` limits the domain (e.g. [0, 1] for a share).
 */
export function fitDomain<T extends IntervalRow>(rows: T[], log: boolean, bounds: [number, number] = [-Infinity, Infinity]): { rows: T[]; domain: [number, number] } {
  const means = rows.map((r) => r.mean).filter((m) => Number.isFinite(m) && (!log || m > 0));
  if (means.length === 0) return { rows, domain: log ? [1e-6, 1] : [0, 1] };
  const mMin = Math.min(...means);
  const mMax = Math.max(...means);
  let domain: [number, number];
  if (log) {
    const los = rows.map((r) => r.lo).filter((v): v is number => v !== null && v > 0);
    const his = rows.map((r) => r.hi).filter((v): v is number => v !== null && Number.isFinite(v));
    domain = [Math.max(Math.min(mMin, ...los) / 1.3, mMin / 20), Math.min(Math.max(mMax, ...his) * 1.3, mMax * 20)];
  } else {
    const room = Math.max(mMax - mMin, 0.05 * Math.abs(mMax), 1e-12);
    const los = rows.map((r) => r.lo ?? r.mean);
    const his = rows.map((r) => r.hi ?? r.mean);
    domain = [Math.max(Math.min(...los), mMin - room), Math.min(Math.max(...his), mMax + room)];
  }
  domain = [Math.max(domain[0], bounds[0]), Math.min(domain[1], bounds[1])];
  const clip = (v: number | null) => (v === null ? null : Math.min(Math.max(v, domain[0]), domain[1]));
  return { rows: rows.map((r) => ({ ...r, lo: clip(r.lo), hi: clip(r.hi) })), domain };
}

/** An interval's bounds, null when there is none. */
const lo = (iv: Interval | null) => iv?.lo ?? null;
const hi = (iv: Interval | null) => iv?.hi ?? null;

/** A top-level spec with the shared look. */
export function spec(body: VegaLiteSpec): VegaLiteSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CHART_CONFIG, ...body };
}

/** Mean line with points and a 95% interval bar per learning rate, coloured by `colour` (a field) when given. */
function meanWithInterval(y: { title: string; scale?: object; format?: string; values?: number[] }, colour?: object, tooltipExtra: object[] = []) {
  const enc = (extra: object) => ({ x: { field: 'lr', type: 'quantitative' }, ...(colour ? { color: colour } : {}), ...extra });
  return [
    { mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 }, encoding: enc({ y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } }) },
    { mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 45 } }, encoding: enc({
      y: { field: 'mean', type: 'quantitative', title: y.title, ...(y.scale ? { scale: y.scale } : {}), axis: { ...(y.format ? { format: y.format } : { format: '~g' }), ...(y.values ? { values: y.values } : {}) } },
      tooltip: [{ field: 'lrLabel', title: 'learning rate' }, { field: 'mean', title: 'mean', format: '.4~g' }, { field: 'lo', title: '95% low', format: '.4~g' }, { field: 'hi', title: '95% high', format: '.4~g' }, { field: 'n', title: 'seeds' }, ...tooltipExtra],
    }) },
  ];
}

/** Outcome (accuracy or PSNR) vs learning rate: each seed, the mean, its interval, diverged runs and the band. */
function outcomeChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  const lrs = agg.lrs.map((a) => a.lr);
  const accuracy = agg.outcome.field === 'testAccuracy';
  const fit = fitDomain(agg.lrs.filter((a) => a.outcome).map((a) => ({ lr: a.lr, lrLabel: lrLabel(a.lr), mean: a.outcome!.mean, lo: lo(a.outcome), hi: hi(a.outcome), n: a.outcome!.n })), false, accuracy ? [0, 1] : undefined);
  const runs = agg.lrs.flatMap((a) => a.runs.filter((r) => r.status === 'ok' && r.outcome !== null).map((r) => ({ lr: a.lr, lrLabel: lrLabel(a.lr), seed: r.seed, value: r.outcome })));
  const values = runs.map((r) => r.value as number);
  const domain: [number, number] = accuracy ? [0, 1] : [Math.min(fit.domain[0], ...values), Math.max(fit.domain[1], ...values)];
  const bottom = domain[0];
  const broken = agg.lrs.flatMap((a) => a.runs.filter((r) => r.status !== 'ok').map((r) => ({ lr: a.lr, lrLabel: lrLabel(a.lr), seed: r.seed, value: bottom, status: r.status === 'diverged' ? `diverged at step ${r.divergedAtStep}` : `failed: ${r.error ?? ''}` })));
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
  layers.push({ data: { values: fit.rows }, layer: meanWithInterval({ title: yTitle, format: yAxis.format, scale: { domain, nice: false, zero: false } }, undefined) });
  layers.push({
    data: { values: runs },
    mark: { type: 'point', size: 40, opacity: 0.9, strokeWidth: 1.5 },
    encoding: { x: { field: 'lr', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', title: yTitle }, color: lrColour(lrs), tooltip: [{ field: 'lrLabel', title: 'learning rate' }, { field: 'seed' }, { field: 'value', title: agg.outcome.label, format: '.4~g' }] },
  });
  if (broken.length) {
    layers.push({
      data: { values: broken },
      mark: { type: 'point', shape: 'cross', size: 90, color: '#d62728', filled: true },
      encoding: { x: { field: 'lr', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', title: yTitle }, tooltip: [{ field: 'lrLabel', title: 'learning rate' }, { field: 'seed' }, { field: 'status' }] },
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
  return agg.lrs.flatMap((a) => a.layers.map((l) => {
    const iv = pick(l);
    return iv ? { lr: a.lr, lrLabel: lrLabel(a.lr), layer: `${l.layer} (${l.units})`, mean: iv.mean, lo: iv.lo as number | null, hi: iv.hi as number | null, n: iv.n } : null;
  }).filter((r) => r !== null));
}

const LAYER_COLOUR = { field: 'layer', type: 'nominal', title: 'layer (units)', scale: { scheme: 'tableau10' } };

/** A panel of a per-layer statistic vs learning rate. */
function layerPanel(agg: SweepAggregate, title: string, y: { title: string; log?: boolean; format?: string; bounds?: [number, number] }, pick: (l: LrAggregate['layers'][number]) => Interval | null): object {
  const lrs = agg.lrs.map((a) => a.lr);
  const fit = fitDomain(layerRows(agg, pick), y.log ?? false, y.bounds);
  return {
    title,
    width: 320,
    height: 240,
    data: { values: fit.rows },
    encoding: { x: { field: 'lr', type: 'quantitative', scale: lrScale(lrs), axis: lrAxis(lrs) } },
    layer: meanWithInterval({ title: y.title, scale: { type: y.log ? 'log' : 'linear', domain: fit.domain, nice: false, ...(y.log ? {} : { zero: false }) }, format: y.format, values: y.log ? logTicks(fit.domain) : undefined }, LAYER_COLOUR),
  };
}

function fluctuationChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  return {
    id: 'fluctuation',
    title: 'Weight and bias fluctuation vs learning rate',
    caption: 'RMS of the per-step change Δ of each layer\'s weights (left) and biases (right), in the parameters\' own units, from each run\'s last recording window; mean and 95% interval over seeds (bars are cut at the frame).',
    spec: spec({ hconcat: [
      layerPanel(agg, 'weights', { title: 'RMS Δ per step (log)', log: true }, (l) => l.weights.rms),
      layerPanel(agg, 'biases', { title: 'RMS Δ per step (log)', log: true }, (l) => l.biases.rms),
    ], resolve: { scale: { y: 'independent' } } }),
  };
}

function participationChart(result: SweepResult): Chart {
  const agg = result.aggregate;
  const tau = result.config.tau;
  return {
    id: 'participation',
    title: 'Participating neurons vs learning rate',
    caption: `Left: neurons whose fluctuation f_j reaches τ = ${tau} of the layer's mean, as a share of the layer. Right: participation ratio PR = (Σf)²/(N·Σf²), 1 when all neurons move alike. Weights, last window; mean and 95% interval over seeds.`,
    spec: spec({ hconcat: [
      layerPanel(agg, 'participating neurons', { title: 'participating (% of units)', format: '.0%', bounds: [0, 1] }, (l) => frac(l.weights.participating, l.units)),
      layerPanel(agg, 'participation ratio', { title: 'participation ratio PR', bounds: [0, 1] }, (l) => l.weights.participationRatio),
    ] }),
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
    caption: 'Left: S = std over neurons of each neuron\'s spread s_j (how unequally neurons wander). Right: its coefficient of variation S / mean s_j (scale-free). Weights, last window; mean and 95% interval over seeds.',
    spec: spec({ hconcat: [
      layerPanel(agg, 'spread of the spread S', { title: 'S (log)', log: true }, (l) => l.weights.spreadOfSpread),
      layerPanel(agg, 'coefficient of variation', { title: 'S / mean s_j', bounds: [0, Infinity] }, (l) => l.weights.spreadCv),
    ], resolve: { scale: { y: 'independent' } } }),
  };
}

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
    for (let i = 1; i < mags.length; i++) if (Math.abs(Math.log(mags[i] / target)) < Math.abs(Math.log(mags[k] / target))) k = i;
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
export function heatmapRows(windows: readonly number[][], steps: readonly { startStep: number; endStep: number }[]): { startStep: number; endStep: number; counts: number[] }[] {
  const group = Math.max(1, Math.ceil(windows.length / MAX_HEATMAP_ROWS));
  const rows: { startStep: number; endStep: number; counts: number[] }[] = [];
  for (let w = 0; w < windows.length; w += group) {
    const part = windows.slice(w, w + group);
    const counts = part[0].map((_, i) => part.reduce((s, c) => s + c[i], 0));
    rows.push({ startStep: steps[w]?.startStep ?? w, endStep: steps[Math.min(w + group, windows.length) - 1]?.endStep ?? w + group, counts });
  }
  return rows;
}

/** Columns of a grid of n panels that leave no cell empty where one can (8 → 4 × 2, 9 → 3 × 3, 6 → 3 × 2); 4 otherwise. */
export function gridColumns(n: number): number {
  if (n <= 4) return Math.max(1, n);
  return [4, 3, 5].find((c) => n % c === 0) ?? 4;
}

/** Per layer: the weights' Δ histogram over training as a heatmap (window × bin), one panel per learning rate. */
function histogramCharts(result: SweepResult): Chart[] {
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
          cells.push({ lrLabel: lrLabel(a.lr), b0: i, b1: i + 1, s0: row.startStep, s1: row.endStep, share: c / total, count: c, range: `[${num(ranges[i].lo)}, ${num(ranges[i].hi)})` });
        });
      }
    }
    const ticks = Number.isFinite(first) ? decadeTicks(first, last) : [];
    const labelExpr = ticks.map((t) => `datum.value == ${t.index} ? '${t.label}' : `).join('') + "''";
    const order = agg.lrs.map((a) => a.lr).sort((x, y) => y - x).map(lrLabel);
    const units = agg.lrs.find((a) => a.layers.length)!.layers.find((l) => l.layer === name)!.units;
    const missing = agg.lrs.filter((a) => !a.layers.some((l) => l.layer === name)).map((a) => lrLabel(a.lr));
    const oneWindow = agg.lrs.every((a) => a.windows.length <= 1);
    return {
      id: `histogram-${name}`,
      title: `Δ histogram of ${name} weights over training`,
      caption: `${name} (${units} units): share of the weight changes Δ of each recording window in each shared bin (4 per octave), summed over seeds; one panel per learning rate, training time downwards. The x axis is signed and logarithmic in |Δ|: negative changes left, the zero bin (|Δ| < 2^−40) in the middle, positive right; only the non-empty bin range is shown.${missing.length ? ` No panel for η = ${missing.join(', ')}: no run there ended ok.` : ''}${oneWindow ? ' One recording window per run: pass --windows 20 (the default) or --window-steps to see the histogram change over training.' : ''}`,
      spec: spec({
        data: { values: cells },
        facet: { field: 'lrLabel', type: 'ordinal', sort: order, title: null, header: { labelExpr: "'η = ' + datum.value", labelFontSize: 12 } },
        columns: gridColumns(order.length - missing.length),
        spec: {
          width: 300,
          height: 150,
          mark: { type: 'rect', aria: false }, // thousands of cells: no per-cell aria-label text in the SVG
          encoding: {
            x: { field: 'b0', type: 'quantitative', scale: { domain: [first, last + 1], nice: false, zero: false }, axis: { title: 'Δ (signed, log |Δ|)', values: ticks.map((t) => t.index), labelExpr, labelAngle: 0, grid: false, labelFontSize: 10 } },
            x2: { field: 'b1' },
            y: { field: 's0', type: 'quantitative', scale: { reverse: true, nice: false, zero: true }, axis: { title: 'training step', grid: false } },
            y2: { field: 's1' },
            color: { field: 'share', type: 'quantitative', title: 'share of Δ', scale: { type: 'log', scheme: 'viridis' }, legend: { format: '.0e', gradientLength: 150 } },
            tooltip: [{ field: 'range', title: 'Δ bin' }, { field: 's0', title: 'from step' }, { field: 's1', title: 'to step' }, { field: 'count' }, { field: 'share', format: '.3~e' }],
          },
        },
        resolve: { scale: { x: 'shared', y: 'independent' } },
      }),
    };
  });
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
      for (const w of a.windows) if (w.trainLoss) rows.push({ lr: a.lr, lrLabel: lrLabel(a.lr), step: w.endStep, loss: w.trainLoss.mean, split: 'train (per window)' });
      const ok = result.runs.find((r) => r.lr === a.lr && r.status === 'ok');
      const stepsPerEpoch = ok && a.epochs.length ? ok.steps / a.epochs.length : null;
      if (stepsPerEpoch) for (const e of a.epochs) if (e.testLoss) rows.push({ lr: a.lr, lrLabel: lrLabel(a.lr), step: e.epoch * stepsPerEpoch, loss: e.testLoss.mean, split: 'test (per epoch)' });
    }
    const losses = rows.map((r) => (r as { loss: number }).loss).filter((v) => v > 0 && Number.isFinite(v));
    const lossDomain: [number, number] = [Math.min(...losses) / 1.2, Math.max(...losses) * 1.2];
    return {
      id: 'loss',
      title: 'Loss over training',
      caption: 'Solid: mean training loss over each recording window; dashed: test loss at the end of each epoch. Means over seeds, coloured by learning rate.',
      spec: spec({
        width: 560,
        height: 320,
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2, point: false },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'training step (optimizer updates)', scale: { domainMin: 0 } },
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log', domain: lossDomain, nice: false }, axis: { values: logTicks(lossDomain), format: '~g' }, title: yTitle },
          color: lrColour(lrs),
          strokeDash: { field: 'split', type: 'nominal', title: 'split', scale: { domain: ['train (per window)', 'test (per epoch)'], range: [[1, 0], [5, 3]] } },
          detail: { field: 'split' },
          tooltip: [{ field: 'lrLabel', title: 'learning rate' }, { field: 'split' }, { field: 'step' }, { field: 'loss', format: '.4~g' }],
        },
      }),
    };
  }
  const raw = agg.lrs.flatMap((a) => {
    const last = a.epochs[a.epochs.length - 1];
    return [
      last?.trainLoss ? { lr: a.lr, lrLabel: lrLabel(a.lr), split: 'train (last epoch)', mean: last.trainLoss.mean, lo: last.trainLoss.lo, hi: last.trainLoss.hi, n: last.trainLoss.n } : null,
      last?.testLoss ? { lr: a.lr, lrLabel: lrLabel(a.lr), split: 'test (end)', mean: last.testLoss.mean, lo: last.testLoss.lo, hi: last.testLoss.hi, n: last.testLoss.n } : null,
    ].filter((r) => r !== null);
  });
  const fit = fitDomain(raw, true);
  return {
    id: 'loss',
    title: 'Final loss vs learning rate',
    caption: 'Too few recording windows for curves (train with more epochs or --window-steps): mean training loss of the last epoch and final test loss, mean and 95% interval over seeds.',
    spec: spec({
      width: 560,
      height: 320,
      data: { values: fit.rows },
      encoding: { x: { field: 'lr', type: 'quantitative', scale: lrScale(lrs), axis: lrAxis(lrs) } },
      layer: meanWithInterval({ title: yTitle, scale: { type: 'log', domain: fit.domain, nice: false }, values: logTicks(fit.domain) }, { field: 'split', type: 'nominal', title: 'split', scale: { scheme: 'set1' } }),
    }),
  };
}

/** Every chart of the report, in reading order. */
export function sweepCharts(result: SweepResult): Chart[] {
  return [outcomeChart(result), lossChart(result), fluctuationChart(result), participationChart(result), spreadChart(result), ...histogramCharts(result)];
}
