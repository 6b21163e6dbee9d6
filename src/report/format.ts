/**
 * Number formatting shared by the report's charts and tables, the terminal's table and progress lines, and the page:
 * compact, and the same in Node and in a browser.
 */
import type { Interval } from '../analysis/stats.js';

/** What a cell shows for a missing value: an en dash, which no negative number's minus sign can be taken for. */
export const NO_VALUE = '–';

/** A number with `digits` significant digits; exponent form when tiny or huge; NO_VALUE for null. */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return NO_VALUE;
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return Number(x.toPrecision(digits)).toString();
  return x.toExponential(digits - 1).replace('e+', 'e');
}

/** A learning rate as a short label: 0.03, 1e-4. */
export function lrLabel(lr: number): string {
  return lr >= 1e-3 ? Number(lr.toPrecision(6)).toString() : lr.toExponential().replace(/\.?0+e/, 'e');
}

/** A fraction as a percentage with `decimals` decimals. */
export function percent(x: number | null | undefined, decimals = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NO_VALUE : `${(100 * x).toFixed(decimals)}%`;
}

/** What a quantity can take: a count from 0 to its units, a fraction from 0 to 1, a size from 0 up. */
export interface Bounds {
  min?: number;
  max?: number;
}

/** A share or an accuracy: from 0 to 1. */
export const FRACTION: Bounds = { min: 0, max: 1 };
/** A size, a loss, an RMS: 0 or more. */
export const NONNEGATIVE: Bounds = { min: 0 };
/** A count of `n` things (units, neurons): 0 to n. */
export const countOf = (n: number): Bounds => ({ min: 0, max: n });

/**
 * "mean ± half-width" of an interval (just the mean when it has one value), formatted by `f`; where the ± would leave
 * what the quantity can take (`bounds`), the interval clipped to them as a range instead: "28.5 (0–72)" for a count of
 * 72 units whose t-interval over two seeds is 28.5 ± 95, never "28.5 ± 95".
 */
export function meanPm(iv: Interval | null, f: (x: number) => string = (x) => num(x), bounds: Bounds = {}): string {
  if (!iv) return NO_VALUE;
  if (iv.n < 2) return f(iv.mean);
  const range = clippedRange(iv, bounds);
  return range ? `${f(iv.mean)} (${f(range[0])}–${f(range[1])})` : `${f(iv.mean)} ± ${f((iv.hi - iv.lo) / 2)}`;
}

/** The interval clipped to `bounds` when it leaves them; null when it lies within them. */
export function clippedRange(iv: Interval, { min = -Infinity, max = Infinity }: Bounds): [number, number] | null {
  if (iv.lo >= min && iv.hi <= max) return null;
  return [Math.min(Math.max(iv.lo, min), max), Math.max(Math.min(iv.hi, max), min)];
}
