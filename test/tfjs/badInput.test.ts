/**
 * Bad input to fluctlab/tfjs gets one line naming the problem and the fix: a module without a builder, a model not
 * compiled, a learning rate the builder rejects, one callback on two models at once, and options that do not parse.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/contract/errors.js';
import { fluctuationCallback, sweepModel } from '../../src/tfjs/index.js';
import { tf, tfl, tinyCnn, tinyData, wasmBackend } from './fixtures.js';

const fixture = (name: string) => pathToFileURL(join(__dirname, 'fixtures', name)).href;
const data = () => ({ x: tf.zeros([4, 4]), y: tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2) });

/** The UsageError `p` rejects with, checked to be one line. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  const message = (e as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

beforeAll(async () => {
  await wasmBackend();
});

describe('sweepModel refuses, in one line', () => {
  it('a module that exports no builder', async () => {
    const url = fixture('noBuilder.mjs');
    expect(await refusal(sweepModel({ model: url, data: data(), lrs: [0.1] }))).toBe(
      `model module ${url} exports no builder (no default or build function): export default (lr, { tf, tfl, seed }) => a compiled tfjs-layers model`,
    );
  });

  it('a builder that returns a model not compiled', async () => {
    expect(await refusal(sweepModel({ model: fixture('uncompiled.mjs'), data: data(), lrs: [0.1] }))).toMatch(
      /^the builder of .*uncompiled\.mjs returned model \S+ not compiled: call model\.compile\(\{ optimizer, loss \}\) before returning it$/,
    );
  });

  it('a learning rate the builder rejects', async () => {
    expect(await refusal(sweepModel({ model: fixture('pickyLr.mjs'), data: data(), lrs: [0.1, 5] }))).toMatch(
      /^the builder of .*pickyLr\.mjs rejected learning rate 5 \(learning rate 5 is too large for this model\): sweep learning rates it accepts$/,
    );
  });

  it('an out folder that holds something, before any run trains', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fluctlab-out-'));
    writeFileSync(join(out, 'notes.txt'), 'keep');
    expect(await refusal(sweepModel({ model: fixture('pickyLr.mjs'), data: data(), lrs: [0.1], out }))).toBe(
      `${out} is not empty: choose a new or empty folder for --out`,
    );
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it('data that does not fit, before anything is written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fluctlab-out-')), 'sweep');
    const model = fixture('pickyLr.mjs');
    const labels = (n: number) => tf.oneHot(tf.tensor1d(new Array(n).fill(0), 'int32'), 2);
    // 10 examples against 8 labels: each run would fail in tfjs's gather, and a folder of failed runs be written
    expect(await refusal(sweepModel({ model, data: { x: tf.zeros([10, 4]), y: labels(8) }, lrs: [0.1], out }))).toBe(
      'data.x holds 10 examples but data.y holds 8: give x and y the same number of examples',
    );
    const x = { values: new Float32Array(12), shape: [4, 4] };
    expect(await refusal(sweepModel({ model, data: { x, y: labels(4) }, lrs: [0.1], out }))).toBe(
      'data.x has 12 values but its shape [4,4] needs 16: give values and shape of the same tensor',
    );
    // an example of 5 values for a model that takes 4
    expect(await refusal(sweepModel({ model, data: { x: tf.zeros([4, 5]), y: labels(4) }, lrs: [0.1], out }))).toBe(
      'an example of data.x has shape [5] but the model takes [4]: reshape the data or build the model for it',
    );
    const validation = { x: tf.zeros([3, 4]), y: labels(2) };
    expect(
      await refusal(sweepModel({ model, data: { x: tf.zeros([4, 4]), y: labels(4), validation }, lrs: [0.1], out })),
    ).toBe(
      'data.validation.x holds 3 examples but data.validation.y holds 2: give x and y the same number of examples',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a module that does not load, and learning rates that are not', async () => {
    expect(await refusal(sweepModel({ model: fixture('missing.mjs'), data: data(), lrs: [0.1] }))).toMatch(
      /^model module .*missing\.mjs does not load \(.*\): pass the URL of an ES module/,
    );
    expect(await refusal(sweepModel({ model: fixture('pickyLr.mjs'), data: data(), lrs: [0.1, -1] }))).toBe(
      'lrs [0.1,-1] is not a list of positive learning rates: e.g. lrs: [0.1, 0.01]',
    );
  });
});

describe('fluctuationCallback refuses, in one line', () => {
  it('one callback on two models at once', async () => {
    const cb = fluctuationCallback();
    const { x, y } = tinyData();
    const fits = [tinyCnn(0.02, 1), tinyCnn(0.02, 2)].map((m) =>
      m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, callbacks: [cb] }),
    );
    const settled = await Promise.allSettled(fits);
    const refused = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(UsageError);
    expect(refused[0].reason.message).toMatch(
      /^this fluctlab callback records model tiny, which is training now, not tiny: make one callback per model with fluctuationCallback\(\)$/,
    );
    // the fit that went on was recorded whole, from its own model
    expect(cb.record().steps).toBe(4);
  });

  it('nothing after a fit that threw: the next fit with the callback records on', async () => {
    const model = tinyCnn(0.02);
    const { x, y } = tinyData();
    const cb = fluctuationCallback({ windowSteps: 1 });
    // a user callback after fluctlab's that throws at the second step: fit rejects without onTrainEnd
    class Thrower extends tfl.Callback {
      override async onBatchEnd(batch: number): Promise<void> {
        if (batch === 1) throw new Error('user callback failed');
      }
    }
    await expect(
      model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, callbacks: [cb, new Thrower()] }),
    ).rejects.toThrow('user callback failed');
    await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, callbacks: [cb] });
    // the failed fit's 2 steps (they changed the weights), then the next fit's 4
    expect(cb.record().steps).toBe(6);
    expect(cb.record().windows.map((w) => w.startStep)).toEqual([0, 1, 2, 3, 4, 5]);
    // and another model's fit is refused only as a second model, not as one still training
    expect(() => cb.setModel(tinyCnn(0.02, 2))).toThrow(/^this fluctlab callback records model tiny, not tiny:/);
    cb.dispose();
  });

  it('a record asked for before any fit, and options that do not parse', () => {
    expect(() => fluctuationCallback().record()).toThrow(
      new UsageError('the fluctlab callback has recorded nothing yet: pass it to model.fit first'),
    );
    expect(() => fluctuationCallback({ windowSteps: 0 })).toThrow(
      new UsageError("windowSteps 0 is not a whole number from 1 or 'epoch': e.g. windowSteps: 50"),
    );
  });
});
