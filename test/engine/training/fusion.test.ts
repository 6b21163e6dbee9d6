/**
 * Fused training's promise: a run trained in a group of runs of its seed gives the RunRecord it gives trained alone,
 * byte for byte (timing and environment aside), whatever its neighbours do, a diverging one included.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/engine/kernels/tf.js';
import type { RunSpec, SweepConfig } from '../../../src/contract/config.js';
import { DEFAULTS } from '../../../src/contract/configure.js';
import type { Dataset } from '../../../src/engine/data/dataset.js';
import { CancelledError } from '../../../src/contract/errors.js';
import { trainRun, trainRuns } from '../../../src/engine/training/run.js';
import { deterministicPart, type RunRecord } from '../../../src/contract/record.js';
import { loadIdxDataset } from '../../../src/node/mnist.js';
import { TEST_ENVIRONMENT } from '../../helpers/records.js';

let data: Dataset;
const env = TEST_ENVIRONMENT;
const small: SweepConfig = { ...DEFAULTS, trainLimit: 1280, epochs: 2, windowSteps: 7 };

beforeAll(async () => {
  await initBackend();
  data = loadIdxDataset('mnist');
});

const text = (r: RunRecord) => JSON.stringify(deterministicPart(r));

/** Trains `lrs` alone and fused; returns both, in the same order. */
async function soloAndFused(config: SweepConfig, lrs: number[]): Promise<{ solo: RunRecord[]; fused: RunRecord[] }> {
  const specs: RunSpec[] = lrs.map((lr) => ({ lr, seed: 2 }));
  const solo: RunRecord[] = [];
  for (const s of specs) solo.push(await trainRun(data, config, s, env));
  return { solo, fused: await trainRuns(data, config, specs, env) };
}

describe('a fused group of runs', () => {
  it('gives each run its solo record, with SGD on an MLP and a diverging run in the middle', async () => {
    const { solo, fused } = await soloAndFused(small, [0.1, 50, 0.01]);
    expect(solo.map((r) => r.status)).toEqual(['ok', 'diverged', 'ok']);
    expect(solo[1].divergedAtStep).toBeLessThan(10);
    expect(solo.map((r) => r.arithmetic)).toEqual(['fma', 'fma', 'fma']); // auto, on an engine that fuses
    expect(fused.map(text)).toEqual(solo.map(text));
  });

  it('gives each run its solo record in the exact arithmetic too, whose records differ from the fma ones', async () => {
    const { solo, fused } = await soloAndFused({ ...small, arithmetic: 'exact' }, [0.1, 0.01]);
    expect(fused.map((r) => r.arithmetic)).toEqual(['exact', 'exact']);
    expect(fused.map(text)).toEqual(solo.map(text));
    const fma = await trainRun(data, { ...small, arithmetic: 'fma' }, { lr: 0.1, seed: 2 }, env);
    expect(fma.windows[0].layers[0].weights.rms).not.toBe(solo[0].windows[0].layers[0].weights.rms);
    expect(Math.abs(fma.windows[0].layers[0].weights.rms - solo[0].windows[0].layers[0].weights.rms)).toBeLessThan(
      1e-6 * solo[0].windows[0].layers[0].weights.rms,
    );
  });

  it('gives each run its solo record where a short last window joins the one before it (40 steps in windows of 9)', async () => {
    const { solo, fused } = await soloAndFused({ ...small, windowSteps: 9 }, [0.1, 0.01]);
    expect(fused[0].windows.map((w) => w.endStep - w.startStep)).toEqual([9, 9, 9, 13]);
    expect(fused.map(text)).toEqual(solo.map(text));
  });

  it('gives each run its solo record for an Adam autoencoder (per-run loss sums, sigmoid head)', async () => {
    const { solo, fused } = await soloAndFused({ ...small, model: 'ae:32,8', optimizer: 'adam' }, [0.001, 0.01, 0.03]);
    expect(solo.every((r) => r.status === 'ok' && r.reconstructions)).toBe(true);
    expect(fused.map(text)).toEqual(solo.map(text));
  });

  it('gives each run its solo record with momentum, weight decay, a cosine schedule, tanh and gelu', async () => {
    const config = {
      ...small,
      model: 'layers:dense32,tanh,dense16,gelu',
      optimizer: 'momentum' as const,
      weightDecay: 0.01,
      schedule: 'cosine',
    };
    const { solo, fused } = await soloAndFused(config, [0.1, 50, 0.01]);
    expect(solo[1].status).toBe('diverged');
    expect(fused.map(text)).toEqual(solo.map(text));
  });

  it('stops every run with a CancelledError when cancelled', async () => {
    let steps = 0;
    const run = trainRuns(
      data,
      small,
      [
        { lr: 0.1, seed: 1 },
        { lr: 0.01, seed: 1 },
      ],
      env,
      { cancelled: () => ++steps > 5 },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBe(6);
  });

  it('refuses runs of different seeds', async () => {
    await expect(
      trainRuns(
        data,
        small,
        [
          { lr: 0.1, seed: 1 },
          { lr: 0.1, seed: 2 },
        ],
        env,
      ),
    ).rejects.toThrow(/shares one seed/);
  });
});
