/**
 * Issue 24, class 7: the library checks its caller. Every misuse below is refused with a UsageError of one line, in
 * the library's words, before anything is written or trained; none reaches an internal TypeError, a silent default or
 * a folder. (Each call also gets a signal that aborts after a few seconds, so code that would train instead fails
 * fast with a CancelledError rather than running a default sweep.)
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepConfig } from '../../src/contract/config.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import { CancelledError, UsageError } from '../../src/contract/errors.js';
import { aggregate } from '../../src/analysis/aggregate.js';
import { buildSweepResult } from '../../src/analysis/sweepResult.js';
import type { Dataset } from '../../src/engine/data/dataset.js';
import { generateShapes } from '../../src/engine/data/shapes.js';
import { parseShapesSpec } from '../../src/contract/shapesSpec.js';
import { lrFind } from '../../src/engine/training/lrFind.js';
import { LR_FIND_DEFAULTS } from '../../src/index.js';
import { sweep } from '../../src/node/api.js';
import { sweep as webSweep } from '../../src/web/sweep.js';

const SMALL = { data: 'shapes:size=8,train=64,test=32', model: 'mlp:8', lrs: [0.1] };
const shapes = (): Dataset => generateShapes(parseShapesSpec('shapes:size=8,train=64,test=32'));

/** Calls `run` with a signal that aborts soon, and returns the error it rejects with (null: it resolved). */
async function refusal(run: (signal: AbortSignal) => Promise<unknown>): Promise<Error | null> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 3000);
  try {
    await run(ac.signal);
    return null;
  } catch (e) {
    return e as Error;
  } finally {
    clearTimeout(timer);
  }
}

type Case = [what: string, config: unknown, options: Record<string, unknown>, message: RegExp];

const CASES: Case[] = [
  ['a null config', null, {}, /^the config is null, not an object: pass one such as/],
  ['a string config', 'mlp:128', {}, /^the config is a string, not an object/],
  ['an array config', [0.1, 0.01], {}, /^the config is an array, not an object/],
  ['an unknown key', { ...SMALL, learningRate: 0.1 }, {}, /^learningRate is not a config key: did you mean lrs\?$/],
  ['a key one letter off', { ...SMALL, epoch: 2 }, {}, /^epoch is not a config key: did you mean epochs\?$/],
  ['an unknown option', SMALL, { worker: 2 }, /^worker is not an option of sweep\(\): did you mean workers\?$/],
  ['workers 0', SMALL, { workers: 0 }, /^workers 0 must be a whole number ≥ 1: e.g. workers: 4$/],
  ['workers -2', SMALL, { workers: -2 }, /^workers -2 must be a whole number ≥ 1/],
  ['workers NaN', SMALL, { workers: Number.NaN }, /^workers NaN must be a whole number ≥ 1/],
  ['workers "two"', SMALL, { workers: 'two' }, /^workers "two" must be a whole number ≥ 1/],
  ['workers 2.5', SMALL, { workers: 2.5 }, /^workers 2.5 must be a whole number ≥ 1/],
  ['out ""', SMALL, { out: '' }, /^out "" is not a folder path: e.g. out: "runs\/mine"$/],
  ['out 5', SMALL, { out: 5 }, /^out 5 is not a folder path/],
  ['a signal that is not an AbortSignal', SMALL, { signal: 'stop' }, /^signal "stop" is not an AbortSignal/],
  ['a callback that is not a function', SMALL, { onProgress: 1 }, /^onProgress 1 is not a function/],
  ['data that is not a Dataset', SMALL, { data: 'mnist' }, /^data "mnist" is not a Dataset/],
  [
    'numClasses 0',
    SMALL,
    { data: { ...shapes(), numClasses: 0 } },
    /^data: numClasses 0 must be a whole number from 1 to 256/,
  ],
  [
    'a label of 200',
    SMALL,
    { data: withLabel(200) },
    /^data: trainLabels has label 200 at example 0, outside the 8 classes 0 … 7$/,
  ],
  [
    'images shorter than the labels',
    SMALL,
    { data: shortImages() },
    /^data: trainImages holds 32 images of 8×8×1 but trainLabels 64 labels/,
  ],
  [
    'labels that are not bytes',
    SMALL,
    { data: { ...shapes(), testLabels: [0, 1] } },
    /^data: testLabels is not a Uint8Array/,
  ],
];

function withLabel(label: number): Dataset {
  const d = shapes();
  const labels = d.trainLabels.slice();
  labels[0] = label;
  return { ...d, trainLabels: labels };
}

function shortImages(): Dataset {
  const d = shapes();
  return { ...d, trainImages: d.trainImages.subarray(0, d.trainImages.length / 2) };
}

describe('fluctlab/node sweep() refuses misuse before it writes or trains', () => {
  it.each(CASES)('%s', async (_what, config, options, message) => {
    const out = join(mkdtempSync(join(tmpdir(), 'fluctlab-misuse-')), 'out');
    const e = await refusal((signal) =>
      sweep(config as Partial<SweepConfig>, { workers: 1, out, signal, ...options } as never),
    );
    expect(e).toBeInstanceOf(UsageError);
    expect(e?.message).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('an already-aborted signal rejects with a CancelledError and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fluctlab-misuse-')), 'out');
    const e = await refusal(() => sweep(SMALL, { workers: 1, out, signal: AbortSignal.abort() }));
    expect(e).toBeInstanceOf(CancelledError);
    expect(existsSync(out)).toBe(false);
  });
});

describe('fluctlab/web sweep() refuses the same misuse before a worker starts', () => {
  it.each(CASES.filter(([, , o]) => !('out' in o)))('%s', async (_what, config, options, message) => {
    const e = await refusal((signal) => webSweep(config as Partial<SweepConfig>, { signal, ...options } as never));
    expect(e).toBeInstanceOf(UsageError);
    expect(e?.message).toMatch(message);
  });
});

describe('the analysis functions refuse garbage with a UsageError', () => {
  it.each([
    ['aggregate, a null config', () => aggregate(null as never, [])],
    ['aggregate, records null', () => aggregate(DEFAULTS, null as never)],
    ['aggregate, a record that is not one', () => aggregate(DEFAULTS, [{} as never])],
    ['buildSweepResult, a null config', () => buildSweepResult(null as never, [])],
    ['buildSweepResult, records a string', () => buildSweepResult(DEFAULTS, 'runs' as never)],
    ['buildSweepResult, a record of numbers', () => buildSweepResult(DEFAULTS, [1, 2] as never)],
  ])('%s', (_what, call) => {
    expect(call).toThrow(UsageError);
  });

  it('names the record at fault', () => {
    expect(() => aggregate(DEFAULTS, [{} as never])).toThrow(/^records\[0\] is not a run record: status is not/);
  });
});

describe('lrFind refuses garbage with a UsageError', () => {
  const env = {} as never;
  it.each([
    ['data null', () => lrFind(null as never, DEFAULTS, LR_FIND_DEFAULTS, 1, env)],
    ['a label outside the classes', () => lrFind(withLabel(9), DEFAULTS, LR_FIND_DEFAULTS, 1, env)],
    ['a config of the wrong shape', () => lrFind(shapes(), { lrs: 'x' } as never, LR_FIND_DEFAULTS, 1, env)],
    ['seed -1', () => lrFind(shapes(), DEFAULTS, LR_FIND_DEFAULTS, -1, env)],
    ['options null', () => lrFind(shapes(), DEFAULTS, null as never, 1, env)],
  ])('%s', async (_what, call) => {
    await expect(call()).rejects.toThrow(UsageError);
  });
});
