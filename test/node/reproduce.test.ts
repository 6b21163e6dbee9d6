import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperSummary } from '../../src/studies/paper/paperReport.js';
import type { RunRecord } from '../../src/contract/record.js';
import { cli, recordsOf, tmp } from '../helpers/cli.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';

// One quick study with both extension arms, shared by the tests below (≈10 s on 2 busy cores).
let cwd: string;
let dir: string;
let run: ReturnType<typeof cli>;
const read = <T>(...p: string[]): T => JSON.parse(readFileSync(join(dir, ...p), 'utf8')) as T;

beforeAll(() => {
  cwd = tmp();
  dir = join(cwd, 'study');
  run = cli(['reproduce', '--quick', '--equal-progress', '--with-mnist', '--workers', '2', '--out', 'study'], cwd);
});

describe('fluctlab reproduce --quick --equal-progress --with-mnist', () => {
  it('exits 0 and writes a sweep folder per arm plus the paper view', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const f of [
      'manifest.json',
      'reproduce.json',
      'sweep.json',
      'report.html',
      'reproduce.html',
      'reproduce-summary.json',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual([
      'lr0.0001-seed1.json',
      'lr0.0001-seed2.json',
      'lr0.001-seed1.json',
      'lr0.001-seed2.json',
      'lr0.01-seed1.json',
      'lr0.01-seed2.json',
    ]);
    expect(readdirSync(join(dir, 'equal-progress')).sort()).toEqual(['lr0.001', 'lr0.01']);
    expect(readdirSync(join(dir, 'mnist', 'runs'))).toHaveLength(6);
    const figures = readdirSync(join(dir, 'figures-reproduce'));
    for (const id of [
      'paper-loss',
      'paper-fluctuation-histograms',
      'paper-spread',
      'paper-neurons',
      'paper-gradient-norms',
      'paper-reconstructions',
      'paper-equal-progress',
      'paper-shapes-vs-mnist',
    ]) {
      expect(figures).toContain(`${id}.svg`);
      expect(figures).toContain(`${id}.png`);
    }
  });

  it('trains the paper setup shrunk: Adam, the three learning rates, shapes data, whole-epoch windows, probe fields filled', () => {
    const r = read<RunRecord>('runs', 'lr0.01-seed1.json');
    expect([r.config.optimizer, r.config.model, r.config.data, r.config.epochs]).toEqual([
      'adam',
      'ae:32,8',
      'shapes:size=16,train=64,test=32',
      6,
    ]);
    expect(r.config.lrs).toEqual([0.01, 0.001, 0.0001]);
    expect(r.windows.map((w) => [w.startStep, w.endStep])).toEqual([
      [0, 8],
      [8, 16],
      [16, 24],
    ]); // 4 steps/epoch, 3 windows of 2 epochs
    expect(r.windows[2].layers[0].meanActivation).toHaveLength(32);
    expect(r.windows[2].layers[1].gradientNorm!.weights).toBeGreaterThan(0);
    expect(r.reconstructions!.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const ep = JSON.parse(
      readFileSync(join(dir, 'equal-progress', 'lr0.001', 'runs', 'lr0.001-seed1.json'), 'utf8'),
    ) as RunRecord;
    expect(ep.config.epochs).toBe(1); // round(6 · 0.0001 / 0.001) = 1
  });

  it('summary numbers come from the records: mean MSE over seeds, and the claims paragraph says what the verdicts say', () => {
    const s = read<PaperSummary>('reproduce-summary.json');
    const mses = [1, 2].map((seed) => read<RunRecord>('runs', `lr0.01-seed${seed}.json`).testLoss!);
    expect(s.main.lrs.map((l) => l.lr)).toEqual([0.01, 0.001, 0.0001]);
    expect(s.main.lrs[0].mse!.mean).toBeCloseTo((mses[0] + mses[1]) / 2, 15);
    expect(s.main.lrs[0].lossCurve).toHaveLength(6);
    expect(s.mnist!.analysis.task).toBe('classification');
    expect(s.equalProgress!.ep.rows.map((r) => r.epochs)).toEqual([1, 1, 6]);
    const verdict = (h: boolean | null) => (h === null ? 'is undecided' : h ? 'is supported' : 'is not supported');
    expect(run.stdout).toContain(
      `Claim 1 (η = 0.01 reconstructs best but leaves many neurons nearly inactive) ${verdict(s.claims.claim1.holds)}`,
    );
    expect(run.stdout).toContain(
      `Claim 2 (η = 1e-4 engages more neurons but reconstructs worse within the same 6 epochs) ${verdict(s.claims.claim2.holds)}`,
    );
    const html = readFileSync(join(dir, 'reproduce.html'), 'utf8');
    expect(html).toContain(
      `Claim 1 (η = 0.01 reconstructs best but leaves many neurons nearly inactive) ${verdict(s.claims.claim1.holds)}`,
    );
    expect(html).toContain('Equal progress: each learning rate trained for the same η × steps');
    expect(html).toContain('On MNIST classification');
  });

  it("reports the η-free measures from the records, and no count's ± leaves 0 to the hidden units", () => {
    const s = read<PaperSummary>('reproduce-summary.json');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const [i, lr] of ['0.01', '0.0001'].entries()) {
      const lrs = s.main.lrs[i * 2];
      const runs = [1, 2].map((seed) => read<RunRecord>('runs', `lr${lr}-seed${seed}.json`));
      const last = (r: RunRecord) => r.windows[r.windows.length - 1].layers;
      const eff = runs.map((r) => mean(last(r).map((l) => l.weights.effectiveRms!)));
      const ratio = runs.map((r) => mean(last(r).map((l) => l.weights.updateRatio!)));
      expect(lrs.effectiveRms!.mean).toBeCloseTo(mean(eff), 12);
      expect(lrs.updateRatio!.mean).toBeCloseTo(mean(ratio), 12);
    }
    expect(run.stdout).toMatch(/Δ\/η\s+‖Δ‖\/‖W‖/);
    expect(run.stdout).toContain("Measured without η's scale: the mean fluctuation f (an RMS Δ) is");
    const html = readFileSync(join(dir, 'reproduce.html'), 'utf8');
    expect(html).toContain('effective step RMS Δ/η');
    expect(html).toContain('Divided by the η in force at each step');
    // every "m ± h of n" stays within 0–n; these runs' nearly inactive units are 28.5 ± 95 of 72 unclipped
    for (const text of [run.stdout, html]) {
      const counts = [...text.matchAll(/([\d.]+) ± ([\d.]+) of (\d+)/g)];
      for (const [m, mean, half, n] of counts) expect(+mean - +half >= 0 && +mean + +half <= +n, m).toBe(true);
      expect(text).toMatch(/[\d.]+ \(0–72\) of 72 hidden units nearly inactive/);
    }
  });

  it('resumes a finished study without training anything and keeps the records byte for byte', () => {
    const before = recordsOf(dir);
    const again = cli(['reproduce', '--resume', 'study', '--quiet'], cwd);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(recordsOf(dir)).toEqual(before);
    // the training cost of the first invocation stays on record; the resume trained nothing and adds no entry
    expect(read<PaperSummary>('reproduce-summary.json').cost.map((c) => [c.runsTrained, c.workers])).toEqual([[16, 2]]);
  });

  it('renders in headless Chromium: every figure drawn, reconstructions decode as PNGs, no console error, no request', async () => {
    const executablePath = requireBrowser('reproduce.html');
    if (!executablePath) return;
    const context = await launchChromium(executablePath);
    try {
      const page = await context.newPage();
      const problems = collectPageErrors(page, /^(file|data):/); // nothing may be fetched but the file itself
      await page.goto(`file://${join(dir, 'reproduce.html')}`);
      const figures = await page.$$eval('figure', (fs) =>
        fs.map((f) => {
          const box = f.querySelector('svg')!.getBoundingClientRect();
          return { id: f.id, width: box.width, height: box.height };
        }),
      );
      expect(figures.map((f) => f.id)).toEqual([
        'paper-loss',
        'paper-fluctuation-histograms',
        'paper-spread',
        'paper-neurons',
        'paper-reconstructions',
        'paper-gradient-norms',
        'paper-equal-progress',
        'paper-shapes-vs-mnist',
      ]);
      for (const f of figures) expect(f.width * f.height, f.id).toBeGreaterThan(300 * 100);
      const sizes = await page.$$eval('#paper-reconstructions image', async (imgs) =>
        Promise.all(
          imgs.map(async (el) => {
            const img = new Image();
            img.src = el.getAttribute('href')!;
            await img.decode();
            return `${img.naturalWidth}x${img.naturalHeight}`;
          }),
        ),
      );
      expect(sizes).toHaveLength(4 * 8); // originals + 3 learning rates, 8 classes
      expect(new Set(sizes)).toEqual(new Set(['48x48'])); // 16×16 enlarged 3×
      expect(await page.$$eval('table', (t) => t.length)).toBe(3); // main, equal progress, MNIST
      expect(problems).toEqual([]);
    } finally {
      await context.closeAll();
    }
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  const bad: [string, string[], RegExp][] = [
    ['a shape size below 8', ['--data', 'shapes:size=4'], /shapes size=4 must be an integer from 8/],
    ['an unknown shape', ['--data', 'shapes:shapes=circle+hexagon'], /shape "hexagon" is unknown/],
    ['zero training examples', ['--data', 'shapes:train=0'], /train=0 must be an integer from 1/],
    ['an autoencoder spec that does not parse', ['--model', 'ae:12x'], /model "ae:12x" does not parse/],
    ['a single learning rate', ['--lr', '0.01'], /at least two/],
    [
      'a batch larger than the data',
      ['--quick', '--batch', '100'],
      /batch size 100 is larger than the 64 training examples/,
    ],
    ['a target loss without --equal-progress', ['--quick', '--target-loss', '0.1'], /add --equal-progress/],
    ['a negative target loss', ['--quick', '--equal-progress', '--target-loss=-1'], /must be a positive loss/],
    ['zero windows', ['--quick', '--windows', '0'], /--windows "0" must be a whole number ≥ 1/],
    ['an MNIST folder that does not exist', ['--quick', '--mnist', 'nowhere'], /nowhere is not a folder/],
    ['--mnist together with --with-mnist', ['--quick', '--mnist', 'x', '--with-mnist'], /use one of them/],
    ['resuming a folder that is not a study', ['--resume', 'nowhere'], /not a fluctlab reproduce folder/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}`, () => {
      const c = tmp();
      const r = cli(['reproduce', ...args, ...(args.includes('--resume') ? [] : ['--out', 'out'])], c);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(c)).toEqual([]);
    });
  }

  it('refuses an MNIST folder that holds an autoencoder sweep, and an --out folder that is not empty, leaving it as it was', () => {
    const c = tmp();
    const r = cli(['reproduce', '--quick', '--mnist', dir, '--out', 'out'], c);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a classification sweep/);
    expect(readdirSync(c)).toEqual([]);
    mkdirSync(join(c, 'full'));
    writeFileSync(join(c, 'full', 'notes.txt'), 'mine');
    const r2 = cli(['reproduce', '--quick', '--out', 'full'], c);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/full is not empty/);
    expect(readdirSync(join(c, 'full'))).toEqual(['notes.txt']);
  });
});

describe('fluctlab reproduce --mnist <existing sweep folder>', () => {
  it('reads the folder as it is and puts its analysis next to the shapes study', () => {
    const c = tmp();
    const sweep = cli(
      [
        'sweep',
        '--lr',
        '0.1,0.01',
        '--model',
        'mlp:16',
        '--train-limit',
        '640',
        '--probe-size',
        '64',
        '--quiet',
        '--out',
        'm',
      ],
      c,
    );
    expect(sweep.code).toBe(0);
    const r = cli(['reproduce', '--quick', '--seeds', '1', '--mnist', 'm', '--quiet', '--out', 'study'], c);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(c, 'study', 'reproduce-summary.json'), 'utf8')) as PaperSummary;
    expect(s.plan.mnist).toEqual({ dir: '../m', run: null });
    expect(s.mnist!.analysis.lrs.map((l) => [l.lr, l.ok, l.hiddenUnits])).toEqual([
      [0.1, 1, 16],
      [0.01, 1, 16],
    ]);
    expect(existsSync(join(c, 'study', 'mnist'))).toBe(false);
    expect(readFileSync(join(c, 'study', 'reproduce.html'), 'utf8')).toContain('On MNIST classification');
  });
});

describe('the shapes data set in a plain sweep', () => {
  it('reaches pool workers (2 workers) and trains a classifier on it', () => {
    const c = tmp();
    const r = cli(
      [
        'sweep',
        '--data',
        'shapes:size=8,train=64,test=16',
        '--model',
        'mlp:8',
        '--lr',
        '0.1,0.01',
        '--batch',
        '16',
        '--workers',
        '2',
        '--probe-size',
        '16',
        '--quiet',
        '--out',
        'o',
      ],
      c,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rec = JSON.parse(readFileSync(join(c, 'o', 'runs', 'lr0.1-seed1.json'), 'utf8')) as RunRecord;
    expect(rec.status).toBe('ok');
    expect(rec.task).toBe('classification');
    expect(rec.windows[0].layers.map((l) => l.units)).toEqual([8, 8]);
  });
});
