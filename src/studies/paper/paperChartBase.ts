/**
 * What the reproduction report's figures share beyond report/chartBase.ts: the layers a study's charts show, and a
 * padded log domain over plain values. Pure.
 *
 *     const layers = layersOf(analysis).map((l) => l.layer);
 */
import type { StudyAnalysis } from './paperAnalysis.js';

/** The layers of the first learning rate that has any (one whose runs all failed has none). */
export function layersOf(a: StudyAnalysis): { layer: string; units: number }[] {
  return a.lrs.find((s) => s.layers.length)?.layers ?? [];
}

/** A positive log domain over values, padded a little. */
export function logDomain(values: number[]): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length === 0) return [1e-6, 1];
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? [lo / 2, hi * 2] : [lo / 1.15, hi * 1.15];
}
