/**
 * The optimizers' steps in one kernel (engine/kernels/optimizerStep.ts) against the tfjs op chains they replace (the
 * concat of the layers' gradient parts, mul, add, square, sqrt, div, sub with float32 scalars, and θ + Δ), and the JS
 * loops against both: the same bits, for sgd, momentum and adam, one run and a fused group of runs with their own
 * rates, with and without weight decay, the gradient in one part and in three, over values that reach zeros of both
 * signs, tiny and large moments, and lengths that leave a scalar tail after the vector loop.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat, MODULES } from '../../../scripts/build-wasm.js';
import { optimizerStep, optimizerStepInto, stepScalars } from '../../../src/engine/kernels/optimizerStep.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { OPTIMIZER_WASM, OPTIMIZER_WASM_SHARED } from '../../../src/engine/kernels/wasm/optimizerWasm.js';
import { optimizerOpChain as opChain, optimizerCase } from '../../helpers/optimizerChain.js';

beforeAll(async () => {
  await initBackend();
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const KINDS = ['sgd', 'momentum', 'adam'] as const;

describe("the optimizers' steps in one kernel", () => {
  for (const kind of KINDS)
    for (const runs of [1, 3])
      for (const decay of [false, true])
        it(`gives the bits of the tfjs ops and of the JS loops: ${kind}, ${runs} run${runs > 1 ? 's' : ''}${decay ? ', weight decay' : ''}`, () => {
          const { g, theta, states, c, parts: partData, size, total } = optimizerCase(kind, runs, decay);
          const [gt, tt] = [tf.tensor1d(g), tf.tensor1d(theta)];
          const st = states.map((x) => tf.tensor1d(x));
          const parts = partData.map((p) => tf.tensor1d(p));
          const want = tf.tidy(() => opChain(gt, tt, st, c, runs));
          for (const split of [[gt], parts]) {
            const got = tf.tidy(() => {
              const o = optimizerStep(split, tt, st, c);
              return [o.delta, o.theta, ...o.state].map((x) => x.dataSync() as Float32Array);
            });
            expect(got.length).toBe(want.length);
            got.forEach((x, k) => {
              expect(bits(x), `output ${k}, ${split.length} part(s)`).toEqual(bits(want[k]));
            });
          }
          const js = {
            d: new Float32Array(total),
            theta: new Float32Array(total),
            state: states.map(() => new Float32Array(total)),
          };
          for (let r = 0; r < runs; r++)
            optimizerStepInto(kind, { g, theta, state: states }, js, stepScalars(c, r), r * size, r * size, size);
          [js.d, js.theta, ...js.state].forEach((x, k) => {
            expect(bits(x), `JS output ${k}`).toEqual(bits(want[k]));
          });
          expect(want[0].some((x) => x !== 0)).toBe(true);
          tf.dispose([gt, tt, ...st, ...parts]);
        });

  it('is exactly the compile of optimizer.wat, in both builds', async () => {
    const module = MODULES.find((m) => m.name === 'OPTIMIZER_WASM')!;
    const fresh = await compileWat(module.wat);
    expect(Array.from(OPTIMIZER_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(OPTIMIZER_WASM_SHARED)).toEqual(Array.from(fresh.shared));
  });
});
