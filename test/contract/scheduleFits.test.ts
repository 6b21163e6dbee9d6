/** A schedule longer than the run is refused once the run's step count is known (issue 25, item 5). */
import { describe, expect, it } from 'vitest';
import { checkScheduleFits, DEFAULTS, SettingError } from '../../src/contract/configure.js';
import type { SweepConfig } from '../../src/contract/config.js';

// 2000 examples in batches of 64: 31 steps per epoch; 5 epochs = 155 steps (the example)
const run = (schedule: string, epochs = 5): SweepConfig => ({ ...DEFAULTS, schedule, epochs, trainLimit: 2000 });
const refusal = (c: SweepConfig, shell: 'cli' | 'api' | 'page' = 'cli') => {
  try {
    checkScheduleFits(c, 60000, shell);
  } catch (e) {
    expect(e).toBeInstanceOf(SettingError);
    expect((e as SettingError).setting).toBe('schedule');
    return (e as Error).message;
  }
  return null;
};

describe('checkScheduleFits', () => {
  it('refuses a warm-up longer than the run, saying where the rate would end and what never runs', () => {
    expect(refusal(run('warmup:200+cosine'))).toBe(
      "--schedule warmup:200+cosine: the warm-up of 200 steps is longer than the run's 155 steps (5 epochs × 31 steps), " +
        'so the learning rate would end at 77.5% of its peak and cosine would never run: warm up for fewer than 155 steps, or train longer',
    );
  });

  it('names the setting as the library does', () => {
    expect(refusal(run('warmup:200'), 'api')).toMatch(/^schedule warmup:200: the warm-up of 200 steps is longer/);
    expect(refusal(run('warmup:200'), 'page')).toMatch(/^warmup:200: the warm-up/);
  });

  it('refuses a warm-up that takes the whole run when a schedule should follow it', () => {
    expect(refusal(run('warmup:155+cosine'))).toMatch(
      /^--schedule warmup:155\+cosine: the warm-up of 155 steps takes the whole run of 155 steps .*, so cosine would never run/,
    );
    expect(refusal(run('warmup:155'))).toBeNull(); // a ramp over the whole run reaches its peak on the last step
  });

  it('refuses a step interval the run never reaches, warm-up included', () => {
    expect(refusal(run('step:155,0.5'))).toMatch(
      /^--schedule step:155,0\.5: the step interval of 155 steps is not shorter than the 155 steps it has .*, so the rate would never change: /,
    );
    expect(refusal(run('warmup:100+step:55,0.5'))).toMatch(/not shorter than the 55 steps it has/);
    expect(refusal(run('warmup:100+step:54,0.5'))).toBeNull();
  });

  it('accepts schedules that fit, and cosine and onecycle at any length', () => {
    for (const s of ['constant', 'cosine', 'onecycle', 'warmup:154+cosine', 'step:154,0.5'])
      expect(refusal(run(s))).toBeNull();
    expect(refusal(run('cosine', 1))).toBeNull();
  });
});
