/**
 * The building blocks every chart of ours shares: the Vega-Lite spec and Chart types, the shared look, the learning-
 * rate axis, scale and colours, log ticks, y domains that fit the means, and the mean-with-interval layers. Pure.
 *
 *     const s = spec({ mark: 'point', encoding: { x: { field: 'lr', scale: lrScale(lrs), axis: lrAxis(lrs) } } });
 */
import type { Interval } from '../analysis/stats.js';
import { lrLabel } from './format.js';

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
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#222',
    labelColor: '#333',
    gridColor: '#ebebeb',
    domainColor: '#777',
    tickColor: '#777',
  },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', titleColor: '#222' },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', labelColor: '#222' },
  title: { fontSize: 13, fontWeight: 'normal', anchor: 'start' },
};

/** The learning-rate axis: a tick and grid line at each learning rate of the sweep, none between. */
export function lrAxis(lrs: number[]) {
  return {
    title: 'learning rate η (log scale)',
    values: [...lrs].sort((a, b) => a - b),
    format: '~g',
    grid: true,
    labelFlush: false,
  };
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
export function lrScale(lrs: number[]) {
  return { type: 'log', domain: [Math.min(...lrs) / 1.6, Math.max(...lrs) * 1.6], nice: false };
}

/** Sequential colour by learning rate, ordered from small to large (viridis, without its palest yellow). */
export function lrColour(lrs: number[], title = 'learning rate') {
  const sorted = [...lrs].sort((a, b) => a - b);
  return {
    field: 'lrLabel',
    type: 'ordinal',
    title,
    sort: sorted.map(lrLabel),
    scale: { domain: sorted.map(lrLabel), scheme: { name: 'viridis', extent: [0, 0.88] } },
  };
}

/** Rows of a mean-and-interval chart. */
export interface IntervalRow {
  mean: number;
  lo: number | null;
  hi: number | null;
}

/**
 * A y domain that fits the means with some room, and the rows with their interval bars cut at it. With two or three
 * seeds a t-interval can be far wider than the spread of the means (t(0.975, 1) = 12.7), and can reach below zero on a
 * log axis; cutting the bars at the frame keeps the means readable. `bounds` limits the domain (e.g. [0, 1] for a share).
 */
export function fitDomain<T extends IntervalRow>(
  rows: T[],
  log: boolean,
  bounds: [number, number] = [-Infinity, Infinity],
): { rows: T[]; domain: [number, number] } {
  // a log axis cannot place a mean of 0 (a spread of the spread from one-step windows): such a row is left out
  const drawable = log ? rows.filter((r) => Number.isFinite(r.mean) && r.mean > 0) : rows;
  const means = drawable.map((r) => r.mean).filter((m) => Number.isFinite(m));
  if (means.length === 0) return { rows: drawable, domain: log ? [1e-6, 1] : [0, 1] };
  const mMin = Math.min(...means);
  const mMax = Math.max(...means);
  let domain: [number, number];
  if (log) {
    const los = drawable.map((r) => r.lo).filter((v): v is number => v !== null && v > 0);
    const his = drawable.map((r) => r.hi).filter((v): v is number => v !== null && Number.isFinite(v));
    domain = [Math.max(Math.min(mMin, ...los) / 1.3, mMin / 20), Math.min(Math.max(mMax, ...his) * 1.3, mMax * 20)];
  } else {
    const room = Math.max(mMax - mMin, 0.05 * Math.abs(mMax), 1e-12);
    const los = rows.map((r) => r.lo ?? r.mean);
    const his = rows.map((r) => r.hi ?? r.mean);
    domain = [Math.max(Math.min(...los), mMin - room), Math.min(Math.max(...his), mMax + room)];
  }
  domain = [Math.max(domain[0], bounds[0]), Math.min(domain[1], bounds[1])];
  const clip = (v: number | null) => (v === null ? null : Math.min(Math.max(v, domain[0]), domain[1]));
  return { rows: drawable.map((r) => ({ ...r, lo: clip(r.lo), hi: clip(r.hi) })), domain };
}

/** An interval's bounds, null when there is none. */
export const lo = (iv: Interval | null) => iv?.lo ?? null;
export const hi = (iv: Interval | null) => iv?.hi ?? null;

/** A top-level spec with the shared look. */
export function spec(body: VegaLiteSpec): VegaLiteSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CHART_CONFIG, ...body };
}

/** Mean line with points and a 95% interval bar per learning rate, coloured by `colour` (a field) when given. */
export function meanWithInterval(
  y: { title: string; scale?: object; format?: string; values?: number[] },
  colour?: object,
  tooltipExtra: object[] = [],
) {
  const enc = (extra: object) => ({
    x: { field: 'lr', type: 'quantitative' },
    ...(colour ? { color: colour } : {}),
    ...extra,
  });
  return [
    {
      mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 },
      encoding: enc({ y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } }),
    },
    {
      mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 45 } },
      encoding: enc({
        y: {
          field: 'mean',
          type: 'quantitative',
          title: y.title,
          ...(y.scale ? { scale: y.scale } : {}),
          axis: { ...(y.format ? { format: y.format } : { format: '~g' }), ...(y.values ? { values: y.values } : {}) },
        },
        tooltip: [
          { field: 'lrLabel', title: 'learning rate' },
          { field: 'mean', title: 'mean', format: '.4~g' },
          { field: 'lo', title: '95% low', format: '.4~g' },
          { field: 'hi', title: '95% high', format: '.4~g' },
          { field: 'n', title: 'seeds' },
          ...tooltipExtra,
        ],
      }),
    },
  ];
}
