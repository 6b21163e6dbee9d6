import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/analysis/summary.js';
import { NO_VALUE } from '../../src/report/format.js';
import { sweepTable } from '../../src/report/table.js';

/** A run that diverged at its second step: no accuracy, no test loss, one layer still recorded. */
const diverged: RunSummary = {
  id: 'lr100-seed1',
  lr: 100,
  seed: 1,
  status: 'diverged',
  divergedAtStep: 2,
  error: null,
  testAccuracy: null,
  testLoss: null,
  testPsnr: null,
  steps: 2,
  samplesPerSecond: 5000,
  layers: [
    {
      layer: 'dense1',
      units: 8,
      weightRms: 116,
      biasRms: 3,
      participating: 5,
      participationRatio: 0.6,
      spreadOfSpread: 41,
      deadUnits: null,
    },
  ],
};

describe('the terminal sweep table', () => {
  it('shows a missing value with the report dash, and numbers formatted as the report formats them', () => {
    const [, , row] = sweepTable([diverged]).split('\n');
    expect(row.split(/ {2,}/)).toEqual(['100', '1', 'diverged@2', NO_VALUE, NO_VALUE, '116', '5/8', '41']);
    expect(NO_VALUE).toBe('–');
  });
});
