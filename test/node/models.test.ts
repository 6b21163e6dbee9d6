/**
 * Layer models from the command line: `--model lenet`, `layers:…` and a .json model file train and are recorded per
 * conv layer (a neuron is an output channel); a model that does not parse or does not fit the data is refused with
 * one line, exit 2, nothing written.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, recordsOf, tmp } from '../helpers/cli.js';
import { channelStats } from '../../src/engine/data/channelStats.js';
import { MODEL_PRESETS } from '../../src/contract/modelSpec.js';
import { loadIdxDataset } from '../../src/node/mnist.js';

const SMALL = [
  '--lr',
  '0.01',
  '--optimizer',
  'adam',
  '--train-limit',
  '256',
  '--batch',
  '32',
  '--probe-size',
  '64',
  '--windows',
  '2',
];
const SPEC = 'layers:standardize,conv3x3x4:same,relu,maxpool2,conv3x3x8:valid,tanh,avgpool2,flatten,dense16,gelu';

describe('layer models', () => {
  it('trains lenet and records its conv layers per output channel, with dead channels on the probe batch', () => {
    const cwd = tmp();
    const r = cli(['sweep', '--model', 'lenet', ...SMALL, '--out', 'out'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const record = JSON.parse(readFileSync(join(cwd, 'out', 'runs', 'lr0.01-seed1.json'), 'utf8'));
    expect(record.config.model).toBe('lenet');
    expect(record.parameterCount).toBe(61706);
    // what lenet means in this fluctlab, and the statistics of the 256 training images its standardize divided by
    expect(record.modelLayers).toBe(MODEL_PRESETS.lenet);
    expect(record.inputStats).toEqual(channelStats(loadIdxDataset('mnist').trainImages.subarray(0, 256 * 784), 1));
    expect(record.inputStats.mean[0]).toBeGreaterThan(0.1);
    const w = record.windows.at(-1);
    expect(w.layers.map((l: { layer: string; units: number }) => [l.layer, l.units])).toEqual([
      ['conv1', 6],
      ['conv2', 16],
      ['dense1', 120],
      ['dense2', 84],
      ['dense3', 10],
    ]);
    expect(w.layers[0].weights.neuronFluctuation).toHaveLength(6);
    expect(w.layers[0].meanActivation).toHaveLength(6);
    expect(Number.isInteger(w.layers[0].deadUnits)).toBe(true);
    expect(w.layers[1].weights.rms).toBeGreaterThan(0);
    expect(readFileSync(join(cwd, 'out', 'report.html'), 'utf8')).toContain('conv2');
    const exp = cli(['export', 'out', '--npy'], cwd);
    expect(exp.code).toBe(0);
    expect(
      readdirSync(join(cwd, 'out', 'npy', 'lr0.01-seed1')).filter((f) => f.includes('conv1')).length,
    ).toBeGreaterThan(0);
  }, 120_000);

  it('reads a .json model file into the same layers: spec, and trains it to the same records as the spec', () => {
    const cwd = tmp();
    writeFileSync(
      join(cwd, 'model.json'),
      JSON.stringify({
        layers: [
          { type: 'standardize' },
          { type: 'conv2d', kernel: 3, channels: 4, padding: 'same' },
          { type: 'relu' },
          { type: 'maxpool', size: 2 },
          { type: 'conv2d', kernel: [3, 3], channels: 8 },
          { type: 'tanh' },
          { type: 'avgpool', size: 2 },
          { type: 'flatten' },
          'dense16',
          { type: 'gelu' },
        ],
      }),
    );
    const a = cli(['sweep', '--model', 'model.json', ...SMALL, '--out', 'a', '--no-report'], cwd);
    const b = cli(['sweep', '--model', SPEC, ...SMALL, '--out', 'b', '--no-report'], cwd);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    expect(JSON.parse(readFileSync(join(cwd, 'a', 'manifest.json'), 'utf8')).config.model).toBe(SPEC);
    expect(recordsOf(join(cwd, 'a'))).toEqual(recordsOf(join(cwd, 'b')));
  }, 120_000);

  const bad: [string, string, RegExp][] = [
    [
      'a layer that does not parse',
      'layers:conv5x5,relu',
      /layer "conv5x5" does not parse: write conv<kh>x<kw>x<channels>/,
    ],
    ['an unknown layer', 'layers:dense64,softplus', /layer "softplus" is unknown/],
    ['a kernel larger than its input', 'layers:conv29x29x4', /conv layer 1 \(29×29\) is larger than its 28×28 input/],
    ['zero channels', 'layers:conv3x3x0', /conv channels must be an integer from 1 to 65536, not 0/],
    [
      'a pool that leaves nothing',
      'layers:maxpool2,maxpool2,maxpool2,maxpool2,maxpool2',
      /maxpool2 is larger than its 1×1 input: it leaves nothing/,
    ],
    [
      'a model over 512 MB of parameters',
      'layers:dense60000,dense60000',
      /more than .* parameters \(over 512 MB as float32\) by its layer dense2/,
    ],
    [
      'a conv after a dense layer',
      'layers:dense32,conv3x3x4',
      /conv layer 1 comes after a dense or flatten layer: put convolutions before them/,
    ],
    [
      'standardize after the first layer',
      'layers:conv3x3x4,standardize',
      /standardize rescales the input, so it can only be the first layer: move it to the front/,
    ],
    ['a model file that does not exist', 'nothere.json', /model file nothere\.json does not exist/],
  ];
  for (const [what, model, message] of bad) {
    it(`refuses ${what} with one line, exit 2, writing nothing`, () => {
      const cwd = tmp();
      const r = cli(['sweep', '--model', model, '--out', 'out'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('refuses a model file that is not JSON, or has no layers, writing nothing', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'bad.json'), '{"layers": [');
    writeFileSync(join(cwd, 'empty.json'), '{"model": 1}');
    for (const [file, message] of [
      ['bad.json', /bad\.json is not valid JSON/],
      ['empty.json', /empty\.json has no "layers" list/],
    ] as const) {
      const r = cli(['sweep', '--model', file, '--out', 'out'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(cwd).sort()).toEqual(['bad.json', 'empty.json']);
  });
});
