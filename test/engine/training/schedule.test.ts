import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/contract/errors.js';
import { scheduledLr } from '../../../src/engine/training/schedule.js';
import { parseSchedule, scheduleSpec } from '../../../src/contract/schedule.js';

const seq = (spec: string, peak: number, total: number) =>
  Array.from({ length: total }, (_, t) => scheduledLr(parseSchedule(spec), peak, t, total));

describe('learning-rate schedules', () => {
  it('constant keeps the peak at every step', () => {
    expect(seq('constant', 0.1, 4)).toEqual([0.1, 0.1, 0.1, 0.1]);
  });

  it('step:2,0.5 halves the rate every 2 steps', () => {
    expect(seq('step:2,0.5', 0.8, 6)).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
  });

  it('cosine follows ½η(1 + cos(πt/T)) from the peak towards 0', () => {
    // T = 4: cos(0) = 1, cos(π/4) = √2/2, cos(π/2) = 0, cos(3π/4) = −√2/2
    const s = seq('cosine', 1, 4);
    [1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2].forEach((v, i) => {
      expect(s[i]).toBeCloseTo(v, 15);
    });
  });

  it('warmup:4 ramps linearly to the peak in 4 steps, then stays there', () => {
    expect(seq('warmup:4', 1, 6)).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });

  it('warmup:2+step:1,0.5 runs the inner schedule on the steps after the warmup', () => {
    expect(seq('warmup:2+step:1,0.5', 1, 5)).toEqual([0.5, 1, 1, 0.5, 0.25]);
  });

  it('warmup:2+cosine anneals over the T − W steps left', () => {
    const s = seq('warmup:2+cosine', 1, 6); // cosine over 4 steps after 2 warmup steps
    expect(s.slice(0, 2)).toEqual([0.5, 1]);
    expect(s[2]).toBe(1);
    expect(s[4]).toBeCloseTo(0.5, 15);
  });

  it('onecycle matches PyTorch OneCycleLR: η/25 at step 0, η at step 0.3T − 1, η/25e4 at the last step', () => {
    // T = 11: phase 1 ends at 0.3·11 − 1 = 2.3; pct of step 1 = 1/2.3; phase 2 runs 2.3 → 10
    const s = seq('onecycle', 1, 11);
    const cos = (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1);
    expect(s[0]).toBeCloseTo(0.04, 15);
    expect(s[1]).toBeCloseTo(cos(0.04, 1, 1 / 2.3), 15);
    expect(s[3]).toBeCloseTo(cos(1, 0.04 / 1e4, (3 - 2.3) / (10 - 2.3)), 15);
    expect(s[10]).toBeCloseTo(0.04 / 1e4, 15);
    expect(Math.max(...s)).toBeLessThan(1); // the peak falls between steps 2 and 3
    expect(s[2]).toBeCloseTo(cos(0.04, 1, 2 / 2.3), 15);
  });

  it('writes every spec back in a canonical form', () => {
    expect(scheduleSpec(parseSchedule(' warmup:10+step:300,0.5 '))).toBe('warmup:10+step:300,0.5');
    expect(scheduleSpec(parseSchedule('warmup:10+constant'))).toBe('warmup:10');
    expect(scheduleSpec(parseSchedule('onecycle'))).toBe('onecycle');
  });

  it('refuses malformed specs with a line that lists the forms', () => {
    for (const bad of [
      'linear',
      'step:0,0.5',
      'step:10',
      'step:10,-1',
      'step:1.5,0.5',
      'warmup:',
      'warmup:0',
      'warmup:5+warmup:5',
      'warmup:5+sine',
      '',
    ]) {
      expect(() => parseSchedule(bad), bad).toThrow(UsageError);
    }
    expect(() => parseSchedule('linear')).toThrow(
      /schedule "linear" does not parse: use constant, step:<every>,<gamma>/,
    );
  });
});
