/**
 * Adam's step as one kernel: m' and v' (the moments) and the update Δ from the gradient, in one pass over the
 * parameters (wasm/adam.wat on the tfjs heap; the JS loop below, the same bits, where it cannot link). Each operation
 * is rounded to float32 as the tfjs ops it replaces (mul, add, square, sqrt, div, sub with float32 scalars) round it,
 * so the records are those of the op chain (the test holds the kernel to tfjs's ops). A fused group passes one step
 * size (and decay) per run; run r's parameters are the r-th `size / runs` of each vector.
 *
 *     const [delta, m2, v2] = adamStep(g, m, v, theta, { beta1, beta2, epsilon, steps, decays: null });
 */
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_WASM, ADAM_WASM_SHARED } from './wasm/adamWasm.js';
import { asWasmBackend, heapAddress, linkModule, type WasmBackend } from './tfjsWasm.js';

export const ADAM_STEP = 'FluctlabAdam';

/** The step's constants as the JS numbers the op chain would make its float32 scalars of. */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  /** ε·√(1 − β2^t): ε with the second moment's bias correction folded in */
  epsilon: number;
  /** per run, −rate·√(1 − β2^t)/(1 − β1^t) */
  steps: readonly number[];
  /** per run, rate·weight decay (θ·it is subtracted), or null for none */
  decays: readonly number[] | null;
}

interface AdamModule {
  adam(
    g: number,
    m: number,
    v: number,
    theta: number,
    d: number,
    mOut: number,
    vOut: number,
    count: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    eps: number,
    step: number,
    w: number,
    decay: number,
  ): void;
}

/** The float32 scalars of run r's step, as the op chain makes them. */
export function adamScalars(c: AdamConstants, r: number) {
  const f = Math.fround;
  return {
    b1: f(c.beta1),
    c1: f(1 - c.beta1),
    b2: f(c.beta2),
    c2: f(1 - c.beta2),
    eps: f(c.epsilon),
    step: f(c.steps[r]),
    w: c.decays ? f(c.decays[r]) : 0,
  };
}

/** The JS loop: elements [from, to) of every vector, one run's scalars. */
export function adamStepInto(
  x: { g: Float32Array; m: Float32Array; v: Float32Array; theta: Float32Array | null },
  out: { d: Float32Array; m: Float32Array; v: Float32Array },
  s: ReturnType<typeof adamScalars>,
  from: number,
  to: number,
): void {
  const f = Math.fround;
  for (let i = from; i < to; i++) {
    const g = x.g[i];
    const m = f(f(x.m[i] * s.b1) + f(g * s.c1));
    const v = f(f(x.v[i] * s.b2) + f(f(g * g) * s.c2));
    let d = f(f(m / f(f(Math.sqrt(v)) + s.eps)) * s.step);
    if (x.theta) d = f(d - f(x.theta[i] * s.w));
    out.m[i] = m;
    out.v[i] = v;
    out.d[i] = d;
  }
}

/** [Δ, m', v'] for gradient `g`, moments `m` and `v`, and θ (read only with decays). */
export function adamStep(
  g: tf.Tensor1D,
  m: tf.Tensor1D,
  v: tf.Tensor1D,
  theta: tf.Tensor1D,
  c: AdamConstants,
): [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] {
  const attrs = { ...c } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(ADAM_STEP, { g, m, v, theta }, attrs) as unknown as [
    tf.Tensor1D,
    tf.Tensor1D,
    tf.Tensor1D,
  ];
}

let adam: AdamModule | null | undefined;

function adamKernel(backend: WasmBackend, inputs: Record<'g' | 'm' | 'v' | 'theta', tf.TensorInfo>, c: AdamConstants) {
  const size = tf.util.sizeFromShape(inputs.g.shape);
  const outs = [0, 1, 2].map(() => backend.makeOutput([size], 'float32'));
  const runs = c.steps.length;
  const per = size / runs;
  adam ??= linkModule<AdamModule>(backend, ADAM_WASM, ADAM_WASM_SHARED);
  if (adam) {
    // addresses after the last makeOutput, which may grow the heap
    const [g, m, v, theta, d, mOut, vOut] = [inputs.g, inputs.m, inputs.v, inputs.theta, ...outs].map((t) =>
      heapAddress(backend, t),
    );
    for (let r = 0; r < runs; r++) {
      const s = adamScalars(c, r);
      const at = r * per * 4;
      adam.adam(
        g + at,
        m + at,
        v + at,
        theta + at,
        d + at,
        mOut + at,
        vOut + at,
        per,
        s.b1,
        s.c1,
        s.b2,
        s.c2,
        s.eps,
        s.step,
        s.w,
        c.decays ? 1 : 0,
      );
    }
    return outs;
  }
  const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const x = { g: heap(inputs.g), m: heap(inputs.m), v: heap(inputs.v), theta: c.decays ? heap(inputs.theta) : null };
  const out = { d: heap(outs[0]), m: heap(outs[1]), v: heap(outs[2]) };
  for (let r = 0; r < runs; r++) adamStepInto(x, out, adamScalars(c, r), r * per, (r + 1) * per);
  return outs;
}

/** Registers the kernel on the 'wasm' backend (kernels.ts installs it with the others). */
export function registerAdamKernel(): void {
  if (tf.getKernel(ADAM_STEP, 'wasm')) return;
  tf.registerKernel({
    kernelName: ADAM_STEP,
    backendName: 'wasm',
    kernelFunc: (args) =>
      adamKernel(
        asWasmBackend(args.backend),
        args.inputs as Record<'g' | 'm' | 'v' | 'theta', tf.TensorInfo>,
        args.attrs as unknown as AdamConstants,
      ),
  });
}
