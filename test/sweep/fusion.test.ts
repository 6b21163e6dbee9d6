import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../../src/contract/config.js';
import { UsageError } from '../../src/contract/errors.js';
import { FUSE_MAX_PARAMETERS, MAX_GROUP, parseFuse, planGroups } from '../../src/sweep/fusion.js';

const runs = (lrs: number[], seeds: number[]): RunSpec[] => lrs.flatMap((lr) => seeds.map((seed) => ({ lr, seed })));
const lrsOf = (groups: RunSpec[][]) => groups.map((g) => g.map((r) => `${r.lr}/${r.seed}`));
const mlp = { model: 'mlp:128,64' };

describe('fused groups', () => {
  it('put the runs of one seed in one group on one lane, in sweep order', () => {
    expect(lrsOf(planGroups(mlp, runs([1, 0.1, 0.01], [1, 2]), 1, 'auto'))).toEqual([
      ['1/1', '0.1/1', '0.01/1'],
      ['1/2', '0.1/2', '0.01/2'],
    ]);
  });

  it("split a seed's runs until every lane has a group", () => {
    expect(lrsOf(planGroups(mlp, runs([1, 0.3, 0.1, 0.03], [1]), 2, 'auto'))).toEqual([
      ['1/1', '0.3/1'],
      ['0.1/1', '0.03/1'],
    ]);
    expect(lrsOf(planGroups(mlp, runs([1, 0.3, 0.1], [1]), 4, 'auto'))).toEqual([['1/1'], ['0.3/1'], ['0.1/1']]);
  });

  it('split groups so that no lane idles longer than when the runs train one at a time', () => {
    // 3 seeds × 3 rates on 2 lanes: one at a time the busier lane trains 5 runs; groups of 3 would give it 6
    expect(planGroups(mlp, runs([1, 0.1, 0.01], [1, 2, 3]), 2, 'auto').map((g) => g.length)).toEqual([
      2, 2, 2, 1, 1, 1,
    ]);
    // 8 rates × 3 seeds on 2 lanes: groups of 4, 12 runs a lane
    expect(
      planGroups(mlp, runs([1, 0.5, 0.3, 0.1, 0.05, 0.03, 0.01, 0.005], [1, 2, 3]), 2, 'auto').map((g) => g.length),
    ).toEqual([4, 4, 4, 4, 4, 4]);
  });

  it("keep a seed's runs together with on, even when lanes stay idle", () => {
    expect(planGroups(mlp, runs([1, 0.3, 0.1, 0.03], [1]), 2, 'on').map((g) => g.length)).toEqual([4]);
  });

  it(`hold at most ${MAX_GROUP} runs`, () => {
    const lrs = Array.from({ length: 11 }, (_, i) => 2 ** -i);
    expect(planGroups(mlp, runs(lrs, [1]), 1, 'auto').map((g) => g.length)).toEqual([6, 5]);
  });

  it(`leave a model above ${FUSE_MAX_PARAMETERS} parameters unfused under auto, and fuse it with on`, () => {
    const mnist = { rows: 28, cols: 28, channels: 1, numClasses: 10 };
    const shapes = { rows: 64, cols: 64, channels: 1, numClasses: 8 };
    expect(planGroups(mlp, runs([1, 0.1], [1]), 1, 'auto', mnist).map((g) => g.length)).toEqual([1, 1]); // 109,386 parameters
    expect(planGroups(mlp, runs([1, 0.1], [1]), 1, 'on', mnist).map((g) => g.length)).toEqual([2]);
    expect(planGroups({ model: 'mlp:64' }, runs([1, 0.1], [1]), 1, 'auto', mnist).map((g) => g.length)).toEqual([2]); // 50,890
    expect(planGroups({ model: 'mlp:96' }, runs([1, 0.1], [1]), 1, 'auto', mnist).map((g) => g.length)).toEqual([1, 1]); // 76,330
    expect(planGroups({ model: 'ae:128,32' }, runs([1, 0.1], [1]), 1, 'auto', shapes).map((g) => g.length)).toEqual([
      1, 1,
    ]); // 1,061,152
    expect(planGroups({ model: 'ae:128,32' }, runs([1, 0.1], [1]), 1, 'on', shapes).map((g) => g.length)).toEqual([2]);
  });

  it('leave every run alone with off, and for a model with conv layers under auto', () => {
    expect(planGroups(mlp, runs([1, 0.1], [1]), 1, 'off').map((g) => g.length)).toEqual([1, 1]);
    expect(planGroups({ model: 'lenet' }, runs([1, 0.1], [1]), 1, 'auto').map((g) => g.length)).toEqual([1, 1]);
  });

  it('fuse dense layers with any activation', () => {
    expect(
      planGroups({ model: 'layers:dense32,tanh,dense16,gelu' }, runs([1, 0.1], [1]), 1, 'on').map((g) => g.length),
    ).toEqual([2]);
    expect(planGroups({ model: 'ae:32,8' }, runs([1, 0.1], [1]), 1, 'on').map((g) => g.length)).toEqual([2]);
  });

  it('refuse on for a model with conv or pool layers, and a --fuse that is not auto, on or off', () => {
    expect(() => planGroups({ model: 'lenet' }, runs([1], [1]), 1, 'on')).toThrow(UsageError);
    expect(() => planGroups({ model: 'layers:dense8,maxpool2' }, runs([1], [1]), 1, 'on')).toThrow(
      /has conv or pool layers/,
    );
    expect(() => parseFuse('always')).toThrow(/--fuse must be auto, on or off, not "always"/);
    expect(parseFuse(undefined)).toBe('auto');
  });
});
