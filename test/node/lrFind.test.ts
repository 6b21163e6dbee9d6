/** `fluctlab lr-find`: the folder it writes, what it prints, and the input it refuses. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliAsync, tmp } from '../helpers/cli.js';

describe('fluctlab lr-find', () => {
  it('writes lr-find.json, lr-find.html and the figures, and prints the suggestions', () => {
    const cwd = tmp();
    const r = cli(
      ['lr-find', '--train-limit', '3200', '--steps', '40', '--start', '1e-4', '--probe-size', '100', '--out', 'lf'],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lr-find: mlp:128,64 on mnist, sgd, η 1e-4 → 10 over 40 steps$/m);
    expect(r.stdout).toMatch(/^stopped at step \d+ \(η = [\d.e-]+\), when the smoothed loss passed 4 × its best$/m);
    for (const name of ['steepest', 'valley', 'minimum/10'])
      expect(r.stdout).toMatch(new RegExp(`^  ${name.replace('/', '\\/')} +η = [\\d.e-]+ `, 'm'));
    expect(readdirSync(join(cwd, 'lf')).sort()).toEqual(['figures', 'lr-find.html', 'lr-find.json']);
    expect(readdirSync(join(cwd, 'lf', 'figures')).sort()).toEqual([
      'lr-find-fluctuation.png',
      'lr-find-fluctuation.svg',
      'lr-find-loss.png',
      'lr-find-loss.svg',
      'lr-find-participation.png',
      'lr-find-participation.svg',
    ]);
    const result = JSON.parse(readFileSync(join(cwd, 'lf', 'lr-find.json'), 'utf8'));
    expect(result.kind).toBe('fluctlab.lr-find');
    expect(result.points.length).toBe(result.stop.step);
    const html = readFileSync(join(cwd, 'lf', 'lr-find.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    for (const s of result.suggestions) expect(html).toContain(`<b>${s.name}</b>`);
  });

  it('trains on a worker thread: a worker that dies fails the command, exit 1, nothing written', () => {
    const cwd = tmp();
    // FLUCTLAB_FAULT ends a worker thread of the pool at step 5; training on the main thread would never see it
    const r = cli(['lr-find', '--train-limit', '2000', '--steps', '40', '--out', 'lf'], cwd, {
      FLUCTLAB_FAULT: 'exit:lr-find:5',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fluctlab lr-find: .*Worker terminated Unexpectedly/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('stops on Ctrl-C while the ramp trains: exit 130, nothing written', async () => {
    const cwd = tmp();
    // a ramp too gentle to explode, long enough (~15 s) that Ctrl-C lands mid-way
    const child = cliAsync(
      ['lr-find', '--train-limit', '2000', '--start', '1e-7', '--end', '1e-6', '--steps', '2000', '--out', 'lf'],
      cwd,
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    for (let i = 0; i < 600 && !/step \d+:/.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toMatch(/step \d+:/);
    child.kill('SIGINT');
    // on the main thread the signal would be heard only after the last step
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('fluctlab lr-find: interrupted; nothing was written');
    expect(readdirSync(cwd)).toEqual([]);
  });

  const bad: [string, string[], RegExp][] = [
    ['--start at or above --end', ['--start', '1', '--end', '0.1'], /end 0.1 must be above start 1: the ramp goes up/],
    ['fewer than 10 steps', ['--steps', '5'], /--steps "5" must be a whole number from 10 to 100000: e.g. --steps 100/],
    [
      'a learning rate list',
      ['--lr', '0.1'],
      /--lr: lr-find ramps the learning rate itself: set the range with --start and --end/,
    ],
    ['epochs', ['--epochs', '2'], /--epochs: lr-find trains for --steps steps/],
    ['a schedule', ['--schedule', 'cosine'], /--schedule: lr-find ramps the learning rate exponentially/],
    ['a bad model', ['--model', 'cnn:3'], /model "cnn:3" does not parse/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}: one line, exit 2, nothing written`, () => {
      const cwd = tmp();
      const r = cli(['lr-find', ...args, '--out', 'lf'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('refuses an --out folder that holds anything, before training', () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'lf'));
    writeFileSync(join(cwd, 'lf', 'mine.txt'), 'keep');
    const r = cli(['lr-find', '--out', 'lf'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('fluctlab lr-find: lf is not empty: choose a new or empty folder with --out');
    expect(readdirSync(join(cwd, 'lf'))).toEqual(['mine.txt']);
  });
});
