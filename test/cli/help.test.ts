/** Help generated from the command and settings tables, did-you-mean, and docs/cli.md kept in step with them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../../src/cli/help.js';
import { editDistance, nearest } from '../../src/contract/didYouMean.js';
import { cli } from '../helpers/cli.js';

describe('per-command help', () => {
  it("fluctlab sweep --help shows sweep's own flags with their defaults, and examples", () => {
    const r = cli(['sweep', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fluctlab sweep: /);
    expect(r.stdout).toMatch(/--epochs <n>\s+epochs per run \(default 1\)/);
    expect(r.stdout).toMatch(
      /--windows <n\|epoch>\s+recording windows per run, of equal steps \(epoch: one per epoch\) \(default\s+20\)/,
    );
    expect(r.stdout).toContain('Examples:\n  fluctlab sweep --lr 0.1,0.01,0.001 --epochs 2');
    expect(r.stdout).not.toContain('--start'); // an lr-find flag
    expect(r.stdout).not.toContain('--port'); // a serve flag
  });

  it('help sweep and sweep -h print the same; lr-find --help shows the ramp and its own window default', () => {
    expect(cli(['help', 'sweep']).stdout).toBe(cli(['sweep', '-h']).stdout);
    const r = cli(['lr-find', '--help']);
    expect(r.stdout).toMatch(/--start <η>\s+first learning rate of the ramp \(default 1e-7\)/);
    expect(r.stdout).toMatch(/--window-steps <k>[^\n]*\n?[^\n]*\(default 1\)/);
    expect(r.stdout).not.toMatch(/--lr </);
  });

  it("reproduce --help shows the study's defaults, not the sweep's", () => {
    const r = cli(['reproduce', '--help']);
    expect(r.stdout).toMatch(/--lr <list>[^(]*\(default\s+0\.01,0\.001,0\.0001\)/);
    expect(r.stdout).toMatch(/--model <spec>[\s\S]*?\(default ae:128,32\)/);
    expect(r.stdout).toMatch(/\(default\s+25\)/);
  });

  it('every command answers --help with exit 0 and at least two examples', () => {
    for (const c of ['sweep', 'lr-find', 'report', 'export', 'merge', 'reproduce', 'serve']) {
      const r = cli([c, '--help']);
      expect(r.code, c).toBe(0);
      const examples = r.stdout.split('Examples:\n')[1] ?? '';
      expect(examples.split('\n').filter((l) => l.startsWith('  fluctlab ')).length, c).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('the command table', () => {
  it('has a module that runs each command: each loads and parses its own flags', () => {
    for (const c of ['sweep', 'lr-find', 'report', 'export', 'merge', 'reproduce', 'serve']) {
      const r = cli([c, '--no-such-flag']);
      expect(r.code, c).toBe(2);
      expect(r.stderr, c).toMatch(new RegExp(`^fluctlab ${c}: Unknown option '--no-such-flag'`));
    }
  });
});

describe('did you mean', () => {
  it('measures typos: swaps, drops and additions cost one each', () => {
    expect(editDistance('lrr', 'lr')).toBe(1);
    expect(editDistance('epoch', 'epochs')).toBe(1);
    expect(editDistance('trian-limit', 'train-limit')).toBe(1);
    expect(editDistance('serve', 'server')).toBe(1);
    expect(editDistance('report', 'export')).toBe(2);
    expect(nearest('swep', ['sweep', 'serve', 'merge'])).toBe('sweep');
    expect(nearest('xyz', ['sweep', 'serve', 'merge'])).toBeNull();
  });

  it.each([
    [['sweep', '--lrr', '0.1'], /^fluctlab sweep: Unknown option '--lrr'\. Did you mean '--lr'\?/],
    [['sweep', '--epoch', '2'], /Did you mean '--epochs'\?/],
    [['sweep', '--train-limt', '100'], /Did you mean '--train-limit'\?/],
    [['swep'], /^fluctlab: unknown command "swep"\. Did you mean "sweep"\?/],
    [['sweep', '--start', '1'], /--start is a flag of fluctlab lr-find, not of sweep/],
    [['lr-find', '--lr', '0.1'], /--lr: lr-find ramps the learning rate itself/],
  ])('%j: one line, exit 2', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('docs/cli.md', () => {
  it('is what the tables generate (npm run docs writes it)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8');
    expect(committed).toBe(cliReference());
  });
});
