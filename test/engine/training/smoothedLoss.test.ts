import { describe, expect, it } from 'vitest';
import { exploded, SmoothedLoss } from '../../../src/engine/training/smoothedLoss.js';

describe('the smoothed loss of an LR range test', () => {
  it('is bias-corrected: the first value is the first loss', () => {
    expect(new SmoothedLoss().add(2.3)).toBeCloseTo(2.3, 14);
  });

  it('follows a_k = β a_{k−1} + (1 − β) loss_k, divided by 1 − β^k (hand-computed, β = 0.5)', () => {
    const s = new SmoothedLoss(0.5);
    s.add(4); // a = 2, /0.5 = 4
    expect(s.add(2)).toBeCloseTo((0.5 * 2 + 0.5 * 2) / 0.75, 14); // a = 2, /0.75
    expect(s.add(8)).toBeCloseTo((0.5 * 2 + 0.5 * 8) / 0.875, 14); // a = 5, /0.875
    expect(s.first).toBe(4);
  });

  it('explodes only past factor × the initial loss', () => {
    expect(exploded(9.2, 2.3, 4)).toBe(false);
    expect(exploded(9.21, 2.3, 4)).toBe(true);
  });
});
