import { describe, expect, it } from 'vitest';
import { stepsPerRun } from '../../src/contract/config.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import { commandLine, dataKind, FIELDS, parseSweepFields, SUGGESTED, trainExamples } from '../../src/web/form.js';
import { parseThreads, planPool } from '../../src/sweep/poolPlan.js';

/** The config the page makes of its defaults: the command line's (the windows, 20 per run, are a run option). */
const PAGE_DEFAULT = DEFAULTS;

describe('parseSweepFields', () => {
  it('turns the fields into the same config the command line builds', () => {
    const r = parseSweepFields({
      lrs: ' 0.1, 1e-2 ,.001',
      epochs: '2',
      model: 'mlp:32',
      optimizer: 'adam',
      seeds: '3',
      seed: '7',
      batch: '32',
      'train-limit': '6000',
      'window-steps': '50',
    });
    expect(r).toMatchObject({
      ok: true,
      config: {
        ...DEFAULTS,
        lrs: [0.1, 0.01, 0.001],
        epochs: 2,
        model: 'mlp:32',
        optimizer: 'adam',
        seeds: [7, 8, 9],
        batch: 32,
        trainLimit: 6000,
        windowSteps: 50,
      },
    });
  });

  it('fills empty and missing fields with the defaults: 20 windows per run, as on the command line', () => {
    expect(parseSweepFields({ lrs: '', epochs: '   ', model: null })).toMatchObject({ ok: true, config: PAGE_DEFAULT });
    expect(parseSweepFields({})).toMatchObject({ ok: true, values: { windows: 20, fuse: 'auto' } });
    expect(parseSweepFields({ windows: '5' })).toMatchObject({
      ok: true,
      values: { windows: 5 },
      config: { windowSteps: null },
    });
    expect(parseSweepFields({ windows: 'epoch' })).toMatchObject({ ok: true, values: { windows: 'epoch' } });
  });

  it('gives one message per wrong field and no config', () => {
    const r = parseSweepFields({
      lrs: '0.1,abc',
      epochs: '1.5',
      model: 'cnn:3',
      optimizer: 'lbfgs',
      seeds: '0',
      seed: '-1',
      batch: '64',
      'train-limit': '70000',
      'window-steps': 'often',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      lrs: '"abc" is not a number: use positive numbers separated by commas: e.g. 0.1,0.01',
      epochs: '"1.5" must be a whole number from 1 to 100: e.g. 1',
      model: expect.stringMatching(/^model "cnn:3" does not parse: use mlp:/),
      optimizer: '"lbfgs" is unknown: use one of sgd, momentum, adam: e.g. sgd',
      seeds: '"0" must be a whole number from 1 to 10: e.g. 3',
      seed: '"-1" must be a whole number from 0 to 4294967295: e.g. 1',
      'train-limit': '"70000" must be a whole number from 1 to 60000: e.g. 6000',
      'window-steps': '"often" is not a number: e.g. 100',
    });
  });

  it('refuses a batch larger than the training examples, on the batch field', () => {
    const r = parseSweepFields({ batch: '128', 'train-limit': '100' });
    expect(r).toEqual({
      ok: false,
      errors: { batch: 'batch 128 is larger than the 100 training examples: lower the batch or use more examples' },
    });
  });

  it('refuses out-of-range epochs and seeds that would pass 2^32 − 1', () => {
    expect(parseSweepFields({ epochs: '101' })).toEqual({
      ok: false,
      errors: { epochs: '"101" must be a whole number from 1 to 100: e.g. 1' },
    });
    expect(parseSweepFields({ seed: '4294967295', seeds: '2' })).toEqual({
      ok: false,
      errors: { seed: '4294967295 with 2 seeds would pass 4294967295: start lower' },
    });
  });
});

describe('the data field', () => {
  it('takes mnist or a shapes spec, canonical, with a probe batch that fits the shapes', () => {
    expect(parseSweepFields({ data: ' mnist ' })).toMatchObject({ ok: true, config: PAGE_DEFAULT });
    expect(parseSweepFields({ data: 'shapes' })).toMatchObject({
      ok: true,
      config: { data: 'shapes', probeSize: 100 },
    });
    // keys in any order and spacing become the generator's canonical spec (defaults dropped)
    expect(parseSweepFields({ data: 'shapes:test=64, train=256,size=28' })).toMatchObject({
      ok: true,
      config: { data: 'shapes:train=256,test=64', probeSize: 100 },
    });
    // the default probe batch is capped at the training examples
    expect(parseSweepFields({ data: 'shapes:train=64' })).toMatchObject({
      ok: true,
      config: { data: 'shapes:train=64', probeSize: 64 },
    });
  });

  it('refuses other data, bad shapes specs and sets too large for a tab, on the data field', () => {
    expect(parseSweepFields({ data: 'idx:/tmp/x' })).toEqual({
      ok: false,
      errors: {
        data: 'data "idx:/tmp/x" is not available in the browser: use mnist, shapes or shapes:train=512,test=256',
      },
    });
    expect(parseSweepFields({ data: 'shapes:train=abc' })).toEqual({
      ok: false,
      errors: { data: 'shapes parameter train="abc" is not a number: e.g. train=512' },
    });
    expect(parseSweepFields({ data: 'shapes:train=70000,test=1' })).toEqual({
      ok: false,
      errors: { data: '70001 shapes images: use at most 70000 (train + test) in the browser' },
    });
  });

  it('checks the batch against the shapes training set', () => {
    expect(parseSweepFields({ data: 'shapes:train=32', batch: '64' })).toEqual({
      ok: false,
      errors: { batch: 'batch 64 is larger than the 32 training examples: lower the batch or use more examples' },
    });
    expect(parseSweepFields({ data: 'shapes:train=32', batch: '64', 'train-limit': '1000' })).toMatchObject({
      ok: false,
      errors: { batch: expect.stringMatching(/larger than the 32 training/) },
    });
  });

  it('tells shapes from mnist while the user types, and suggests the paper study for shapes', () => {
    expect(['mnist', '', 'shap', 'shapes', 'shapes:train=1'].map(dataKind)).toEqual([
      'mnist',
      'mnist',
      'mnist',
      'shapes',
      'shapes',
    ]);
    expect(trainExamples('shapes:train=100')).toBe(100);
    expect(trainExamples('mnist')).toBe(60000);
    const r = parseSweepFields({ data: 'shapes', ...SUGGESTED.shapes });
    expect(r).toMatchObject({
      ok: true,
      config: { model: 'ae:128,32', optimizer: 'adam', lrs: [0.01, 0.001, 0.0001], epochs: 50 },
    });
    expect(parseSweepFields({ ...SUGGESTED.mnist })).toMatchObject({ ok: true, config: PAGE_DEFAULT });
  });
});

describe("the page's fields", () => {
  it('are the settings with a field, and the element observes the same names', () => {
    expect(FIELDS).toEqual([
      'data',
      'lrs',
      'epochs',
      'model',
      'optimizer',
      'seeds',
      'seed',
      'batch',
      'train-limit',
      'fuse',
      'windows',
      'window-steps',
      'arithmetic',
    ]);
  });

  it('hold a tab to 16 learning rates, which the command line does not', () => {
    const many = Array.from({ length: 17 }, (_, i) => (i + 1) / 100).join(',');
    expect(parseSweepFields({ lrs: many })).toEqual({
      ok: false,
      errors: { lrs: '17 learning rates: use at most 16: e.g. 0.1,0.01' },
    });
  });
});

describe('commandLine', () => {
  it('is the fluctlab sweep command for the same settings: each one that is not at its default', () => {
    const r = parseSweepFields({ lrs: '0.1,0.01', 'train-limit': '12800' });
    expect(r.ok && commandLine(r.values)).toBe('fluctlab sweep --lr 0.1,0.01 --train-limit 12800');
  });

  it('names the data and the smaller probe batch for shapes', () => {
    const r = parseSweepFields({
      data: 'shapes:train=256,test=64',
      model: 'ae:32,8',
      optimizer: 'adam',
      lrs: '0.01,0.001',
      epochs: '2',
    });
    expect(r.ok && commandLine(r.values)).toBe(
      'fluctlab sweep --data shapes:train=256,test=64 --lr 0.01,0.001 --epochs 2 --model ae:32,8 --optimizer adam',
    );
  });
});

describe('planPool', () => {
  it.each([
    [8, 2, true, { workers: 2, threads: 1 }],
    [2, 16, true, { workers: 2, threads: 8 }],
    [1, 16, true, { workers: 1, threads: 8 }], // tfjs caps at 8 threads
    [1, 6, true, { workers: 1, threads: 3 }], // and at half the logical cores
    [1, 16, false, { workers: 1, threads: 1 }], // no isolation, no threads
    [3, 0, true, { workers: 1, threads: 1 }],
  ])('%i runs on %i cores (isolated: %s) → %j', (runs, cores, isolated, plan) => {
    expect(planPool(runs, cores, isolated)).toEqual(plan);
  });
});

describe('threads per worker chosen by the user', () => {
  it.each([
    [3, 8, 2, { workers: 3, threads: 2 }], // the paper study's 3 rates on 8 cores: 3 workers × 2 threads
    [8, 8, 4, { workers: 2, threads: 4 }], // more threads, fewer workers
    [1, 2, 4, { workers: 1, threads: 4 }], // at least one worker, even past the cores
  ])('%i runs on %i cores with %i threads → %j', (runs, cores, threads, plan) => {
    expect(planPool(runs, cores, true, threads)).toEqual(plan);
  });

  it('parses the Threads field: auto, or 1 to 8, and more than 1 only in an isolated page', () => {
    expect(parseThreads('auto', false)).toEqual({ ok: true, threads: undefined });
    expect(parseThreads('', true)).toEqual({ ok: true, threads: undefined });
    expect(parseThreads('4', true)).toEqual({ ok: true, threads: 4 });
    expect(parseThreads('1', false)).toEqual({ ok: true, threads: 1 });
    expect(parseThreads('2', false)).toEqual({
      ok: false,
      error:
        'more than one thread needs a cross-origin-isolated page: open it through fluctlab serve, or with ?isolate',
    });
    expect(parseThreads('9', true)).toEqual({
      ok: false,
      error: 'threads must be auto or a whole number from 1 to 8, not 9',
    });
    expect(parseThreads('two', true).ok).toBe(false);
  });
});

describe('stepsPerRun', () => {
  it('counts whole batches of the training examples used, times epochs', () => {
    expect(stepsPerRun({ ...DEFAULTS, trainLimit: 12800, batch: 64, epochs: 1 }, 60000)).toBe(200);
    expect(stepsPerRun({ ...DEFAULTS, trainLimit: null, batch: 64, epochs: 2 }, 60000)).toBe(1874);
    expect(stepsPerRun({ ...DEFAULTS, trainLimit: 100000, batch: 100, epochs: 1 }, 60000)).toBe(600);
  });
});
