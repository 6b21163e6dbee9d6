/** `fluctlab sweep` refuses a schedule longer than the run before anything is written (issue 25, item 5). */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, tmp } from '../helpers/cli.js';

describe('fluctlab sweep --schedule', () => {
  it('refuses a warm-up longer than the run with one line, exit 2, and writes nothing', () => {
    const cwd = tmp();
    const r = cli(
      ['sweep', '--epochs', '5', '--schedule', 'warmup:200+cosine', '--train-limit', '2000', '--out', 'out'],
      cwd,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      "fluctlab sweep: --schedule warmup:200+cosine: the warm-up of 200 steps is longer than the run's 155 steps (5 epochs × 31 steps), " +
        'so the learning rate would end at 77.5% of its peak and cosine would never run: warm up for fewer than 155 steps, or train longer',
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
