/**
 * Figures that do not hide what they show (issue 25, items 3 and 7): a one-epoch run's test loss, a single point per
 * learning rate, is drawn as points; the η-free measure against the outcome is one point per run that ended ok.
 */
import { describe, expect, it } from 'vitest';
import { buildSweepResult } from '../../src/analysis/sweepResult.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import type { RunRecord } from '../../src/contract/record.js';
import { sweepCharts } from '../../src/report/charts.js';
import { renderSvg } from '../../src/store/render.js';
import { runRecord } from '../helpers/records.js';

const LRS = [0.01, 0.1];
const config = { ...DEFAULTS, lrs: LRS, seeds: [1, 2, 3] };

/** One epoch, three recording windows (so the loss is drawn over training). */
function threeWindows(r: RunRecord): RunRecord {
  const w = r.windows[0];
  return { ...r, windows: [0, 1, 2].map((i) => ({ ...w, index: i, startStep: i * 10, endStep: (i + 1) * 10 })) };
}

const records = LRS.flatMap((lr, i) =>
  [1, 2, 3].map((seed) =>
    threeWindows(runRecord(lr, seed, 0.8 + 0.05 * i + 0.01 * seed, { effectiveRms: 0.4 + 0.1 * seed })),
  ),
);
records[0] = { ...records[0], status: 'diverged', divergedAtStep: 5, testAccuracy: null };
const charts = sweepCharts(buildSweepResult(config, records));
const chart = (id: string) => charts.find((c) => c.id === id)!;
type Layer = { mark: { type: string }; transform?: { filter: { equal: string } }[] };

describe('honest figures', () => {
  it("draws a one-epoch run's test loss as points", async () => {
    const loss = chart('loss');
    const layers = (loss.spec as { layer: Layer[] }).layer;
    const points = layers.find((l) => l.mark.type === 'point');
    expect(points?.transform?.[0].filter.equal).toBe('test (per epoch)');
    expect(await renderSvg(loss.spec)).toContain('test (per epoch)');
  });

  it('draws the effective step RMS against the outcome with one point per run that ended ok', async () => {
    const scatter = chart('effective-rms-vs-outcome');
    const values = (scatter.spec as { data: { values: { lr: number; seed: number; layer: string }[] } }).data.values;
    expect(values.map((v) => `${v.lr}/${v.seed}/${v.layer}`)).toEqual(
      ['0.01/2', '0.01/3', '0.1/1', '0.1/2', '0.1/3'].map((s) => `${s}/dense1`),
    );
    expect(await renderSvg(scatter.spec)).toContain('effective step RMS');
  });
});
