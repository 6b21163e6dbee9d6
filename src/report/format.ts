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

/** "mean ± half-width" of an interval (just the mean when it has one value), formatted by `f`. */
export function meanPm(iv: Interval | null, f: (x: number) => string = (x) => num(x)): string {
  if (!iv) return NO_VALUE;
  if (iv.n < 2) return f(iv.mean);
  return `${f(iv.mean)} ± ${f((iv.hi - iv.lo) / 2)}`;
}
