/**
 * An optimizer's step as one kernel: the update Δ, θ' = θ + Δ and the new state (momentum's u, Adam's moments) from
 * the gradient, in one pass over the parameters (wasm/optimizer.wat on the tfjs heap; the JS loops below, the same
 * bits, where it cannot link). Each operation is rounded to float32 as the tfjs ops it replaces (mul, add, square,
 * sqrt, div, sub with float32 scalars, and the concat of the layers' gradient parts) round it, so the records are
 * those of the op chain (the test holds the kernel to tfjs's ops). The gradient comes as the layers' parts (network.ts
 * makes one per layer, each [runs × its length]); a fused group passes one rate (and decay) per run, and run r's
 * parameters are the r-th `size` of each flat vector.
 *
 *     const { delta, theta, state } = optimizerStep(parts, net.theta, [m, v], { kind: 'adam', ... });
 */
import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZER_WASM, OPTIMIZER_WASM_SHARED } from './wasm/optimizerWasm.js';
import { asWasmBackend, heapAddress, linkModule, type WasmBackend } from './tfjsWasm.js';

export const OPTIMIZER_STEP = 'FluctlabOptimizerStep';

/** The step's constants as the JS numbers the op chain would make its float32 scalars of. */
export type StepConstants = {
  /** per run: sgd and momentum −η, adam its step size −η·√(1 − β2^t)/(1 − β1^t) */
  rates: readonly number[];
  /** per run: the L2 weight decay (sgd, momentum) or η·decay (adam's decoupled one), or null for none */
  decays: readonly number[] | null;
} & (
  | { kind: 'sgd' }
  | { kind: 'momentum'; mu: number }
  | { kind: 'adam'; beta1: number; beta2: number; epsilon: number }
);

/** The float32 scalars of run r's step, as the op chain makes them (tf.mul(x, 0.9) multiplies by fround(0.9)). */
export function stepScalars(c: StepConstants, r: number) {
  const f = Math.fround;
  const adam = c.kind === 'adam' ? c : null;
  return {
    rate: f(c.rates[r]),
    w: c.decays ? f(c.decays[r]) : 0,
    decay: c.decays !== null,
    mu: c.kind === 'momentum' ? f(c.mu) : 0,
    b1: f(adam?.beta1 ?? 0),
    c1: f(1 - (adam?.beta1 ?? 0)),
    b2: f(adam?.beta2 ?? 0),
    c2: f(1 - (adam?.beta2 ?? 0)),
    eps: f(adam?.epsilon ?? 0),
  };
}
type Scalars = ReturnType<typeof stepScalars>;

/** The JS loops: `count` elements, the gradient from g[gi], everything else at [at]. */
export function optimizerStepInto(
  kind: StepConstants['kind'],
  x: { g: Float32Array; theta: Float32Array; state: Float32Array[] },
  out: { d: Float32Array; theta: Float32Array; state: Float32Array[] },
  s: Scalars,
  gi: number,
  at: number,
  count: number,
): void {
  const f = Math.fround;
  for (let k = 0; k < count; k++) {
    const i = at + k;
    const g = x.g[gi + k];
    let d: number;
    if (kind === 'adam') {
      const m = f(f(x.state[0][i] * s.b1) + f(g * s.c1));
      const v = f(f(x.state[1][i] * s.b2) + f(f(g * g) * s.c2));
      d = f(f(m / f(f(Math.sqrt(v)) + s.eps)) * s.rate);
      if (s.decay) d = f(d - f(x.theta[i] * s.w));
      out.state[0][i] = m;
      out.state[1][i] = v;
    } else {
      let gg = s.decay ? f(g + f(x.theta[i] * s.w)) : g;
      if (kind === 'momentum') {
        gg = f(f(x.state[0][i] * s.mu) + gg);
        out.state[0][i] = gg;
      }
      d = f(gg * s.rate);
    }
    out.d[i] = d;
    out.theta[i] = f(x.theta[i] + d);
  }
}

/** Δ, θ' and the new state (momentum: [u'], adam: [m', v'], sgd: []) from the layers' gradient parts. */
export function optimizerStep(
  parts: readonly tf.Tensor[],
  theta: tf.Tensor1D,
  state: readonly tf.Tensor[],
  c: StepConstants,
): { delta: tf.Tensor1D; theta: tf.Tensor1D; state: tf.Tensor1D[] } {
  const inputs: Record<string, tf.Tensor> = { theta };
  state.forEach((t, i) => {
    inputs[`s${i}`] = t;
  });
  parts.forEach((t, i) => {
    inputs[`g${i}`] = t;
  });
  const attrs = { ...c, partCount: parts.length, stateCount: state.length } as unknown as tf.NamedAttrMap;
  const [delta, next, ...rest] = tf.engine().runKernel(OPTIMIZER_STEP, inputs, attrs) as unknown as tf.Tensor1D[];
  return { delta, theta: next, state: rest };
}

interface OptimizerModule {
  sgd(g: number, theta: number, d: number, thOut: number, count: number, lr: number, w: number, decay: number): void;
  momentum(...a: number[]): void;
  adam(...a: number[]): void;
}

let wasm: OptimizerModule | null | undefined;

type Attrs = StepConstants & { partCount: number; stateCount: number };

function stepKernel(backend: WasmBackend, inputs: Record<string, tf.TensorInfo>, c: Attrs): tf.TensorInfo[] {
  const theta = inputs.theta;
  const total = tf.util.sizeFromShape(theta.shape);
  const runs = c.rates.length;
  const size = total / runs;
  const parts = Array.from({ length: c.partCount }, (_, i) => inputs[`g${i}`]);
  const state = Array.from({ length: c.stateCount }, (_, i) => inputs[`s${i}`]);
  const outs = [0, 1, ...state].map(() => backend.makeOutput([total], 'float32'));
  const lengths = parts.map((p) => tf.util.sizeFromShape(p.shape) / runs);
  // linked once per realm; null (no WASM SIMD here) is kept too, so the JS loops run without a retry each call
  if (wasm === undefined) wasm = linkModule<OptimizerModule>(backend, OPTIMIZER_WASM, OPTIMIZER_WASM_SHARED);
  for (let r = 0; r < runs; r++) {
    const s = stepScalars(c, r);
    let at = r * size; // where this part of run r sits in the flat vectors
    parts.forEach((part, l) => {
      const n = lengths[l];
      const gi = r * n;
      if (wasm) {
        // addresses after the last makeOutput, which may grow the heap
        const [g, th, d, thOut] = [part, theta, outs[0], outs[1]].map((t) => heapAddress(backend, t));
        const [a, gb, sa, so] = [
          at * 4,
          g + gi * 4,
          state.map((t) => heapAddress(backend, t) + at * 4),
          outs.slice(2).map((t) => heapAddress(backend, t) + at * 4),
        ];
        if (c.kind === 'sgd') wasm.sgd(gb, th + a, d + a, thOut + a, n, s.rate, s.w, s.decay ? 1 : 0);
        else if (c.kind === 'momentum')
          wasm.momentum(gb, sa[0], th + a, d + a, so[0], thOut + a, n, s.mu, s.rate, s.w, s.decay ? 1 : 0);
        else
          wasm.adam(
            gb,
            sa[0],
            sa[1],
            th + a,
            d + a,
            so[0],
            so[1],
            thOut + a,
            n,
            s.b1,
            s.c1,
            s.b2,
            s.c2,
            s.eps,
            s.rate,
            s.w,
            s.decay ? 1 : 0,
          );
      } else {
        const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
        optimizerStepInto(
          c.kind,
          { g: heap(part), theta: heap(theta), state: state.map(heap) },
          { d: heap(outs[0]), theta: heap(outs[1]), state: outs.slice(2).map(heap) },
          s,
          gi,
          at,
          n,
        );
      }
      at += n;
    });
  }
  return outs;
}

/** Registers the kernel on the 'wasm' backend (kernels.ts installs it with the others). */
export function registerOptimizerKernel(): void {
  if (tf.getKernel(OPTIMIZER_STEP, 'wasm')) return;
  tf.registerKernel({
    kernelName: OPTIMIZER_STEP,
    backendName: 'wasm',
    kernelFunc: (args) =>
      stepKernel(
        asWasmBackend(args.backend),
        args.inputs as Record<string, tf.TensorInfo>,
        args.attrs as unknown as Attrs,
      ),
  });
}
