/**
 * The report end to end on a real sweep (4 learning rates × 2 seeds, 2 epochs on 6400 MNIST images, ~20 s):
 * the files `fluctlab sweep` leaves, the numbers in them, the npy export read back byte for byte (and by numpy when
 * it is installed), every bad input refused with exit 2 and nothing overwritten, and the page in headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { histogram } from '../../src/engine/recording/histogram.js';
import { decodeNpy, encodeNpy } from '../../src/engine/data/npy.js';
import type { RunRecord } from '../../src/contract/record.js';
import type { SweepResult } from '../../src/analysis/sweepResult.js';
import { EPOCH_COLUMNS, STAT_COLUMNS } from '../../src/store/npyExport.js';
import { renderSvg } from '../../src/store/render.js';
import { sweepCharts } from '../../src/report/charts.js';
import { SUMMARY_COLUMNS } from '../../src/report/csv.js';
import { cli, tmp } from '../helpers/cli.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';

let dir = '';
let sweepStdout = '';
let result: SweepResult;
let records: RunRecord[] = [];
const LRS = [0.3, 0.1, 0.03, 0.01];

beforeAll(() => {
  dir = join(tmp(), 'sweep');
  const r = cli([
    'sweep',
    '--lr',
    LRS.join(','),
    '--train-limit',
    '6400',
    '--epochs',
    '2',
    '--seeds',
    '2',
    '--window-steps',
    '25',
    '--out',
    dir,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  sweepStdout = r.stdout;
  result = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'));
  records = readdirSync(join(dir, 'runs')).map((f) => JSON.parse(readFileSync(join(dir, 'runs', f), 'utf8')));
});

/** A copy of the finished folder to break. */
function copy(): string {
  const d = join(tmp(), 'copy');
  cpSync(dir, d, { recursive: true });
  return d;
}

/** Every file of a folder with its bytes, for "nothing was overwritten". */
function snapshot(d: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string) => {
    for (const f of readdirSync(p)) {
      const q = join(p, f);
      if (statSync(q).isDirectory()) walk(q);
      else out.set(q, readFileSync(q).toString('base64'));
    }
  };
  walk(d);
  return out;
}

describe('fluctlab sweep writes the report', () => {
  it('prints the band and then the path of report.html as its last line', () => {
    const lines = sweepStdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe(`report: ${join(dir, 'report.html')}`);
    expect(lines[lines.length - 2]).toMatch(
      // ± half-width, or the interval clipped to 0–100% as a range where the ± would pass 100%
      /^recommended learning rates: .* \(best [\d.]+: test accuracy \d+\.\d%( ± \d+\.\d%| \(\d+\.\d%–\d+\.\d%\)), 95% interval\)$/,
    );
  });

  it('leaves report.html, an SVG and a PNG per chart, summary.csv, and no temp files', () => {
    const charts = sweepCharts(result);
    expect(charts.map((c) => c.id)).toEqual([
      'accuracy',
      'loss',
      'fluctuation',
      'participation',
      'spread',
      'effective-rms-vs-outcome',
      'histogram-dense1',
      'histogram-dense2',
      'histogram-dense3',
    ]);
    for (const c of charts) {
      const svg = readFileSync(join(dir, 'figures', `${c.id}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      const png = readFileSync(join(dir, 'figures', `${c.id}.png`));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.readUInt32BE(16)).toBeGreaterThan(500); // width in pixels (2× the SVG)
    }
    expect(readdirSync(dir).sort()).toEqual([
      'figures',
      'manifest.json',
      'report.html',
      'runs',
      'summary.csv',
      'sweep.json',
    ]);
  });

  it('renders every chart without a vega or vega-lite warning', async () => {
    for (const c of sweepCharts(result)) {
      const warnings: string[] = [];
      await renderSvg(c.spec, warnings);
      expect(warnings, c.id).toEqual([]);
    }
  });

  it('makes report.html self-contained: no script, no external resource', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // The one <link> is the empty inline favicon (data:, never fetched), which stops browsers asking for /favicon.ico.
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(html.replace('<link rel="icon" href="data:,">', '')).not.toMatch(
      /<script|<link|<img|@import|src=|url\(http/i,
    );
    // The only http(s) strings are SVG/XML namespace names, which are never fetched.
    const urls = html.match(/https?:\/\/[^\s"')]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html.match(/<svg /g)).toHaveLength(sweepCharts(result).length);
    expect(html).toContain('Recommended learning-rate band');
    // the runs' arithmetic, which decides which other records theirs match bit for bit (auto: fma on this engine)
    expect(html).toContain('<li><b>Arithmetic:</b> fma (each product added with one rounding, fused multiply-add)');
  });
});

describe('the aggregate in sweep.json', () => {
  it('merges the histograms of the seeds exactly: counts add up to steps × parameters', () => {
    const lr = result.aggregate.lrs.find((a) => a.lr === 0.1)!;
    const runs = records.filter((r) => r.lr === 0.1);
    lr.layers.forEach((layer, li) => {
      const summed = runs.map((r) =>
        r.windows.map((w) => w.layers[li].weights.histogram).reduce((a, b) => a.map((v, i) => v + b[i])),
      );
      expect(layer.histogram.weights.total).toEqual(summed[0].map((v, i) => v + summed[1][i]));
      const fanIn = layer.layer === 'dense1' ? 784 : layer.layer === 'dense2' ? 128 : 64;
      const steps = runs.reduce((s, r) => s + r.steps, 0);
      expect(layer.histogram.weights.total.reduce((s, c) => s + c, 0)).toBe(steps * fanIn * layer.units);
    });
    // Shared bins: the merged histogram of two windows is the histogram of both windows' values, whatever they are.
    expect(histogram([1e-3, -1e-3]).map((v, i) => v + histogram([0, 5])[i])).toEqual(histogram([1e-3, -1e-3, 0, 5]));
  });

  it('holds the mean over seeds, correlations for every layer, and a band', () => {
    for (const a of result.aggregate.lrs) {
      const accs = records.filter((r) => r.lr === a.lr).map((r) => r.testAccuracy!);
      expect(a.outcome!.mean).toBeCloseTo((accs[0] + accs[1]) / 2, 12);
      expect(a.outcome!.n).toBe(2);
      expect(a.windows.length).toBeGreaterThan(3);
    }
    expect(
      result.aggregate.correlations.filter((c) => c.measure === 'rms' && c.tensor === 'weights').map((c) => c.n),
    ).toEqual([8, 8, 8]);
    expect(LRS).toContain(result.aggregate.band!.best);
  });
});

describe('summary.csv', () => {
  it("has one row per run and layer with the last window's numbers", () => {
    const lines = readFileSync(join(dir, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 8 * 3);
    const col = (name: string) => SUMMARY_COLUMNS.indexOf(name as (typeof SUMMARY_COLUMNS)[number]);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const r = records.find((x) => x.id === cells[col('run')])!;
      const l = r.windows[r.windows.length - 1].layers.find((x) => x.layer === cells[col('layer')])!;
      expect(Number(cells[col('weight_rms')])).toBe(l.weights.rms);
      expect(Number(cells[col('participation_ratio')])).toBe(l.weights.participationRatio);
      expect(Number(cells[col('test_accuracy')])).toBe(r.testAccuracy);
    }
  });
});

describe('fluctlab export --npy', () => {
  let out = '';
  beforeAll(() => {
    out = join(tmp(), 'npy');
    const r = cli(['export', dir, '--npy', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('writes trajectories whose header and data read back byte for byte', () => {
    const r = records.find((x) => x.id === 'lr0.1-seed2')!;
    const bytes = new Uint8Array(readFileSync(join(out, 'lr0.1-seed2', 'dense2_weights_stats.npy')));
    const d = decodeNpy(bytes);
    expect(d.shape).toEqual([r.windows.length, STAT_COLUMNS.length]);
    const expected = r.windows.map((w) => {
      const t = w.layers[1].weights;
      return [
        t.meanAbs,
        t.rms,
        t.maxAbs,
        t.spreadOfSpread,
        t.spreadCv,
        t.participating,
        t.participationRatio,
        t.effectiveNeurons,
        w.layers[1].deadUnits ?? NaN,
        t.effectiveRms,
        t.updateRatio,
        t.weightNorm,
      ];
    });
    for (const row of expected) expect(row.slice(-3).every((v) => typeof v === 'number' && v > 0)).toBe(true);
    expect(d.values).toEqual(expected.flat());
    expect(Buffer.from(bytes).equals(Buffer.from(encodeNpy(expected.flat(), d.shape)))).toBe(true);
    const hist = decodeNpy(new Uint8Array(readFileSync(join(out, 'lr0.1-seed2', 'dense1_weights_hist.npy'))));
    expect(hist.dtype).toBe('<i8');
    expect(hist.values.slice(0, hist.shape[1])).toEqual(r.windows[0].layers[0].weights.histogram);
    const epochs = decodeNpy(new Uint8Array(readFileSync(join(out, 'lr0.1-seed2', 'epochs.npy'))));
    expect(epochs.shape).toEqual([2, EPOCH_COLUMNS.length]);
    expect(epochs.values[4]).toBe(r.epochs[0].testAccuracy);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.files.length).toBe(1 + 8 * (2 + 3 * 7));
    expect(index.columns.stats.slice(-3)).toEqual(['effective_rms', 'update_ratio', 'weight_norm']);
    expect(Object.keys(index.measures)).toEqual([
      'effective_rms',
      'update_ratio',
      'weight_norm',
      'neuron_update_ratio',
    ]);
    const ratio = decodeNpy(new Uint8Array(readFileSync(join(out, 'lr0.1-seed2', 'dense1_neuron_update_ratio.npy'))));
    expect(ratio.shape).toEqual([r.windows.length, 128]);
    expect(ratio.values).toEqual(r.windows.flatMap((w) => w.layers[0].weights.neuronUpdateRatio!.map((v) => v ?? NaN)));
  });

  it('loads with numpy.load (when numpy is installed)', () => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.warn(
        '\n!!! SKIPPED: numpy is not installed for /usr/bin/python3, so the .npy files were not loaded with numpy.load (apt-get install python3-numpy to run this check) !!!\n',
      );
      return;
    }
    const script = `import numpy, json, sys
a = numpy.load(sys.argv[1]); h = numpy.load(sys.argv[2]); e = numpy.load(sys.argv[3])
u = numpy.load(sys.argv[4]); cols = json.load(open(sys.argv[5]))["columns"]["stats"]
print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "rms": [float(x) for x in a[:, 1]], "hist": str(h.dtype), "hsum": int(h.sum()), "firstLoIsMinusInf": bool(e[0, 0] == -numpy.inf), "firstHi": float(e[0, 1]),
  "eta_free": {c: [float(x) for x in a[:, cols.index(c)]] for c in ["effective_rms", "update_ratio", "weight_norm"]}, "neuron": list(u.shape), "neuron_last": [float(x) for x in u[-1]]}))`;
    const base = join(out, 'lr0.03-seed1');
    const r = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        script,
        join(base, 'dense1_weights_stats.npy'),
        join(base, 'dense1_weights_hist.npy'),
        join(out, 'bin_edges.npy'),
        join(base, 'dense1_neuron_update_ratio.npy'),
        join(out, 'index.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    const rec = records.find((x) => x.id === 'lr0.03-seed1')!;
    expect(got.shape).toEqual([rec.windows.length, STAT_COLUMNS.length]);
    expect(got.dtype).toBe('float64');
    expect(got.rms).toEqual(rec.windows.map((w) => w.layers[0].weights.rms));
    expect(got.hist).toBe('int64');
    expect(got.hsum).toBe(rec.steps * 784 * 128);
    expect(got.firstLoIsMinusInf).toBe(true);
    expect(got.firstHi).toBe(-16); // the negative overflow bin is (−∞, −2^4)
    const w = rec.windows.map((x) => x.layers[0].weights);
    expect(got.eta_free).toEqual({
      effective_rms: w.map((t) => t.effectiveRms),
      update_ratio: w.map((t) => t.updateRatio),
      weight_norm: w.map((t) => t.weightNorm),
    });
    expect(got.neuron).toEqual([rec.windows.length, 128]);
    expect(got.neuron_last).toEqual(w[w.length - 1].neuronUpdateRatio);
  });

  it('refuses a folder that holds something else, and a missing format', () => {
    const foreign = tmp();
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const r = cli(['export', dir, '--npy', '--out', foreign]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fluctlab export: .* is not empty and holds no previous fluctlab export/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
    expect(cli(['export', dir]).stderr).toMatch(/pass --npy/);
    // A previous export is replaced.
    expect(cli(['export', dir, '--npy', '--out', out, '--quiet']).code).toBe(0);
  });
});

describe('fluctlab report on bad input: one line, exit 2, nothing overwritten', () => {
  const cases: [string, (d: string) => void, RegExp][] = [
    [
      'a folder with no sweep',
      (d) => rmSync(join(d, 'manifest.json')),
      /is not a fluctlab sweep \(no manifest\.json\)/,
    ],
    [
      'a truncated sweep.json',
      (d) => writeFileSync(join(d, 'sweep.json'), readFileSync(join(d, 'sweep.json'), 'utf8').slice(0, 5000)),
      /sweep\.json is not valid JSON \(truncated or edited\?\): delete it and run fluctlab report/,
    ],
    [
      'a hand-edited sweep.json',
      (d) => {
        const s = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8'));
        s.runs[3].testAccuracy = 0.999;
        writeFileSync(join(d, 'sweep.json'), JSON.stringify(s));
      },
      /sweep\.json does not match runs\/lr0\.1-seed2\.json \(hand-edited\?\)/,
    ],
    [
      'a RunRecord of another schema version',
      (d) => editRun(d, 'lr0.03-seed1', (r) => (r.schemaVersion = 0)),
      /lr0\.03-seed1\.json was written with result schema 0; this fluctlab reads schema 1/,
    ],
    [
      'RunRecords with mismatched histogram edges',
      (d) => editRun(d, 'lr0.01-seed2', (r) => (r.bins.minExp = -30)),
      /lr0\.01-seed2\.json is damaged or edited \(its histograms are not on the shared bin edges/,
    ],
    [
      'a RunRecord with damaged input statistics',
      (d) => editRun(d, 'lr0.1-seed1', (r) => (r.inputStats = { mean: [0.1], std: [] })),
      /lr0\.1-seed1\.json is damaged or edited \(inputStats is not a mean and std per channel\)/,
    ],
    [
      'a missing RunRecord',
      (d) => rmSync(join(d, 'runs', 'lr0.3-seed1.json')),
      /has no record of run lr0\.3-seed1 .*fluctlab sweep --resume/,
    ],
  ];
  for (const [what, breakIt, message] of cases) {
    it(`refuses ${what}`, () => {
      const d = copy();
      breakIt(d);
      const before = snapshot(d);
      const r = cli(['report', d]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(snapshot(d)).toEqual(before);
    });
  }

  it('rebuilds a deleted sweep.json from the run records', () => {
    const d = copy();
    const original = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8'));
    rmSync(join(d, 'sweep.json'));
    rmSync(join(d, 'report.html'));
    const r = cli(['report', d]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`report: ${join(d, 'report.html')}`);
    expect(JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8'))).toEqual(original);
    expect(existsSync(join(d, 'report.html'))).toBe(true);
  });
});

function editRun(d: string, id: string, edit: (r: RunRecord) => void): void {
  const p = join(d, 'runs', `${id}.json`);
  const r = JSON.parse(readFileSync(p, 'utf8'));
  edit(r);
  writeFileSync(p, JSON.stringify(r));
}

describe('report.html in headless Chromium', () => {
  it('shows every chart with no console error and no network request (screenshot saved)', async () => {
    const executablePath = requireBrowser('report.html');
    if (!executablePath) return;
    const context = await launchChromium(executablePath);
    try {
      const page = await context.newPage();
      const problems = collectPageErrors(page, /^file:/); // nothing may be fetched but the file itself
      await page.goto(`file://${join(dir, 'report.html')}`);
      const figures = await page.$$eval('figure', (fs) =>
        fs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: f.id,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg?.querySelectorAll('path, line, text').length ?? 0,
          };
        }),
      );
      expect(figures.map((f) => f.id)).toEqual(sweepCharts(result).map((c) => c.id));
      for (const f of figures) {
        expect(f.width, f.id).toBeGreaterThan(300);
        expect(f.height, f.id).toBeGreaterThan(150);
        expect(f.marks, f.id).toBeGreaterThan(50);
      }
      const shots = join(tmp(), 'screenshots');
      mkdirSync(shots);
      await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
      expect(statSync(join(shots, 'report.png')).size).toBeGreaterThan(100_000);
      console.log(`report screenshot: ${join(shots, 'report.png')}`);
      expect(problems).toEqual([]);
    } finally {
      await context.closeAll();
    }
  });
});
