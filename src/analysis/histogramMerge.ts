/**
 * Histograms of Δ merged across a sweep's runs: every record's bins are checked to be the same shared edges
 * (`checkBins`; records on other edges are refused, a damaged record is named), then counts are added bin by bin, per
 * window index and in total (`mergeHistograms`), which is exact. aggregate.ts merges each layer's weights and biases
 * this way per learning rate.
 *
 *     const bins = checkBins(records);                           // the shared BinSpec, or null when every run failed
 *     const merged = mergeHistograms(ok.map((r) => r.windows.map((w) => w.layers[0].weights.histogram)));
 */
import { UsageError } from '../contract/errors.js';
import { sameBins } from '../engine/recording/histogram.js';
import type { BinSpec, RunRecord } from '../contract/record.js';

/** Per-window counts of Δ on the shared bins, summed over the seeds; `total` sums the windows. */
export interface MergedHistogram {
  windows: number[][];
  total: number[];
}

/** Checks that every record carries the same histogram bins and whole histograms; throws UsageError naming the run. */
export function checkBins(records: readonly RunRecord[]): BinSpec | null {
  let first: RunRecord | null = null;
  for (const r of records) {
    if (r.status === 'failed') continue;
    if (!r.bins || typeof r.bins !== 'object')
      throw new UsageError(`run ${r.id} has no histogram bin spec: its record is damaged; re-run it`);
    if (first && !sameBins(first.bins, r.bins))
      throw new UsageError(
        `run ${r.id} has histogram edges ${JSON.stringify(r.bins)} but run ${first.id} has ${JSON.stringify(first.bins)}: histograms on different edges cannot be merged; re-run one of them with this fluctlab`,
      );
    first ??= r;
    for (const w of r.windows) {
      for (const l of w.layers) {
        for (const t of [l.weights, l.biases]) {
          if (!Array.isArray(t.histogram) || t.histogram.length !== r.bins.binCount)
            throw new UsageError(
              `run ${r.id}, window ${w.index}, ${l.layer}: histogram has ${t.histogram?.length} bins, its bin spec says ${r.bins.binCount}: the record is damaged; re-run it`,
            );
        }
      }
    }
  }
  return first?.bins ?? null;
}

/** Adds count arrays bin by bin (all of equal length). */
function addCounts(into: number[] | null, counts: readonly number[]): number[] {
  if (!into) return counts.slice();
  for (let i = 0; i < counts.length; i++) into[i] += counts[i];
  return into;
}

/** Merges the histograms of one tensor across runs, per window index and in total. */
export function mergeHistograms(perRun: readonly (readonly number[][])[]): MergedHistogram {
  const windows: number[][] = [];
  let total: number[] | null = null;
  for (const run of perRun) {
    run.forEach((counts, i) => {
      windows[i] = addCounts(windows[i] ?? null, counts);
      total = addCounts(total, counts);
    });
  }
  return { windows, total: total ?? [] };
}
