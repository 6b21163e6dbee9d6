/** `fluctlab sweep --windows` more than the run's steps: the windows it can, with one line saying so (issue 25, item 4). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmp } from '../helpers/cli.js';

describe('fluctlab sweep --windows 30 of a 10-step run', () => {
  it('records 10 windows of one step and says so in one line on stderr', () => {
    const cwd = tmp();
    const r = cli(
      ['sweep', '--windows', '30', '--train-limit', '640', '--lr', '0.1', '--quiet', '--no-report', '--out', 'out'],
      cwd,
    );
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      '30 windows asked of a run of 10 steps: it records the 10 it can fill, one a step (where S and the neuron spreads, which need 2 steps, are null)',
    ]);
    const runs = join(cwd, 'out', 'runs');
    const record = JSON.parse(readFileSync(join(runs, readdirSync(runs)[0]), 'utf8'));
    expect(record.windows.map((w: { startStep: number; endStep: number }) => w.endStep - w.startStep)).toEqual(
      Array(10).fill(1),
    );
  });
});
