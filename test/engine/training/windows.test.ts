/** Windows with substance (issue 25, item 4): a short last window joins the one before it; no spread from a 1-step window. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/engine/kernels/tf.js';
import { windowStepsForCount, type SweepConfig } from '../../../src/contract/config.js';
import { DEFAULTS } from '../../../src/contract/configure.js';
import type { Dataset } from '../../../src/engine/data/dataset.js';
import { trainRun } from '../../../src/engine/training/run.js';
import { Recorder } from '../../../src/engine/recording/recorder.js';
import { loadIdxDataset } from '../../../src/node/mnist.js';
import { TEST_ENVIRONMENT } from '../../helpers/records.js';

let data: Dataset;
const env = TEST_ENVIRONMENT;

beforeAll(async () => {
  await initBackend();
  data = loadIdxDataset('mnist');
});

describe('a run of 46 steps in the default 20 windows (3 steps each)', () => {
  it('joins the 1-step last window to the one before it: 14 windows of 3, then one of 4', async () => {
    const windowSteps = windowStepsForCount(46, 20);
    const config: SweepConfig = { ...DEFAULTS, lrs: [0.1], trainLimit: 46 * 64, windowSteps };
    const r = await trainRun(data, config, { lr: 0.1, seed: 1 }, env);
    expect(r.steps).toBe(46);
    expect(r.windows.map((w) => w.endStep - w.startStep)).toEqual([...Array(14).fill(3), 4]);
  });
});

describe('a window of one step', () => {
  const layout = [{ name: 'dense1', fanIn: 2, units: 2, wOffset: 0, bOffset: 4 }];
  it('reports no neuron spread s_j, S or S/mean s_j (null, not 0): a standard deviation over its steps needs two', () => {
    const rec = new Recorder(layout, { tau: 0.1 });
    rec.step(new Float32Array([1, -2, 3, 0, 0.5, 0]), 0.1);
    const t = rec.closeWindow().layers[0].weights;
    expect([t.spreadOfSpread, t.spreadCv, t.neuronSpread]).toEqual([null, null, [null, null]]);
    expect(t.rms).toBeGreaterThan(0);
  });
});
