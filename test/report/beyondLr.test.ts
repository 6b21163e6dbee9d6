/**
 * Done-when of issue 25 in the report: the correlation table shows raw, partial and within-η ρ with the Method's
 * sentence, the page says "no association beyond η" where the outcome depends on η only and finds a measure that
 * carries signal at fixed η; summary.csv carries the measures free of η's scale.
 */
import { describe, expect, it } from 'vitest';
import { buildSweepResult } from '../../src/analysis/sweepResult.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import type { TensorFluctuation } from '../../src/contract/windowRecord.js';
import { SUMMARY_COLUMNS, summaryCsv } from '../../src/report/csv.js';
import { reportHtml } from '../../src/report/html.js';
import { runRecord } from '../helpers/records.js';

const LRS = [0.001, 0.01, 0.1, 1];
const BY_LR = [0.8, 0.9, 0.95, 0.85];
const config = { ...DEFAULTS, lrs: LRS, seeds: [1, 2, 3, 4] };

function page(make: (i: number, s: number) => { acc: number; weights: Partial<TensorFluctuation> }) {
  const records = LRS.flatMap((lr, i) =>
    [0, 1, 2, 3].map((s) => runRecord(lr, s + 1, make(i, s).acc, make(i, s).weights)),
  );
  const result = buildSweepResult(config, records);
  return { records, html: reportHtml({ result, figures: [], generatedAt: '', fluctlabVersion: '0' }) };
}

describe('the report beyond η', () => {
  it('says there is no association beyond η when the outcome depends on η only', () => {
    const { html } = page((i, s) => ({
      acc: BY_LR[i] + 0.002 * [1, -1, 1, -1][s],
      weights: { rms: LRS[i] * (1 + 0.1 * [1, 1, -1, -1][s]), effectiveRms: 0.5 + 0.05 * [1, 1, -1, -1][s] },
    }));
    expect(html).toContain('<th class="first">raw ρ</th><th>partial ρ</th><th>within-η ρ</th>');
    expect(html).toContain('<li><b>Beyond η:</b>');
    expect(html).toMatch(
      /<li>No association beyond η for dense1 RMS Δ of weights, [^<]*dense1 effective step RMS Δ\/η of weights/,
    );
    expect(html).not.toContain('At fixed η, runs with higher');
  });

  it('finds a measure that carries signal at fixed η', () => {
    const d = (i: number, s: number) => [-0.15, -0.05, 0.05, 0.15][(s + i) % 4];
    const { html, records } = page((i, s) => ({
      acc: BY_LR[i] + 0.02 * d(i, s) + 0.0005 * [1, -1, -1, 1][s],
      weights: { rms: LRS[i], effectiveRms: 0.5 + d(i, s), updateRatio: 1e-3, weightNorm: 3 },
    }));
    expect(html).toContain(
      '<li>At fixed η, runs with higher dense1 effective step RMS Δ/η of weights than their siblings ended better',
    );
    const csv = summaryCsv(records).split('\n');
    const col = (name: string) => SUMMARY_COLUMNS.indexOf(name as (typeof SUMMARY_COLUMNS)[number]);
    const row = csv[1].split(',');
    expect(row[col('weight_effective_rms')]).toBe(String(0.5 + d(0, 0)));
    expect([row[col('weight_update_ratio')], row[col('weight_norm')], row[col('bias_effective_rms')]]).toEqual([
      '0.001',
      '3',
      '',
    ]);
  });
});
