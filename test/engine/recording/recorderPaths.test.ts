/**
 * The recorder's two paths, the SIMD WebAssembly kernel on views into the tfjs
 * heap and the JS loop on plain arrays, must give the same bits: same summation
 * order, exact histogram counts. Both are also checked against a naive float64
 * reference written out here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { heapView } from '../../../src/engine/kernels/tfjsWasm.js';
import { histogram, magnitudeEdges, mergeCounts } from '../../../src/engine/recording/histogram.js';
import { layerLayout, parameterCount } from '../../../src/engine/training/networkInit.js';
import { Recorder } from '../../../src/engine/recording/recorder.js';
import type { LayerLayout, WindowRecord } from '../../../src/contract/windowRecord.js';
import { Rng } from '../../../src/engine/rng.js';
import { HeapTensorAccumulator } from '../../../src/engine/recording/wasm/heapAccumulator.js';
import { kernelForBuffer } from '../../../src/engine/recording/wasm/recorderKernel.js';

beforeAll(async () => {
  await initBackend();
});

/** Δ values that stress every branch: wide magnitudes, ±0, subnormals, bin edges ± 1 ulp, beyond the overflow edge. */
function randomDelta(n: number, rng: Rng): Float32Array {
  const edges = magnitudeEdges();
  const out = new Float32Array(n);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    const kind = rng.int(20);
    const sign = rng.uniform() < 0.5 ? -1 : 1;
    if (kind === 0) out[i] = sign * 0;
    else if (kind === 1)
      out[i] = sign * 1e-40; // subnormal float32
    else if (kind === 2)
      out[i] = sign * 2 ** (-45 + 5 * rng.uniform()); // around the zero bin's edge
    else if (kind === 3)
      out[i] = sign * (16 + 100 * rng.uniform()); // overflow bins
    else if (kind === 4) {
      f[0] = sign * edges[rng.int(edges.length)];
      u[0] += rng.int(3) - 1; // the edge or its neighbours
      out[i] = f[0];
    } else out[i] = rng.normal() * 10 ** (-8 * rng.uniform());
  }
  return out;
}

/** Float64 bits of every number, so that 'equal' means bit-identical (−0 included). */
function bits(w: WindowRecord[]): string {
  const b = new Float64Array(1);
  const hex = new BigUint64Array(b.buffer);
  return JSON.stringify(w, (_k, v) => {
    if (typeof v !== 'number') return v;
    b[0] = v;
    return hex[0].toString(16);
  });
}

/** The learning rate of step k of a window: a schedule's worth of values, 0 (left out of the effective RMS) among them. */
const stepLr = (k: number): number => [0.3, 0, 1e-3, 2.5][k % 4];

/** Records `windows` (a list of step lists) on one path and returns the closed windows (θ at a close: its last Δ). */
function runPath(layout: LayerLayout[], windows: Float32Array[][], path: 'js' | 'wasm'): WindowRecord[] {
  const rec = new Recorder(layout, { tau: 0.1 });
  const out: WindowRecord[] = [];
  try {
    for (const steps of windows) {
      steps.forEach((d, k) => {
        if (path === 'js') expect(rec.step(d, stepLr(k))).toBe(true);
        else {
          const t = tf.tensor1d(d);
          expect(rec.step(heapView(t), stepLr(k))).toBe(true);
          t.dispose();
        }
        expect(rec.path).toBe(path);
      });
      out.push(rec.closeWindow([], steps[steps.length - 1]));
    }
  } finally {
    rec.dispose();
  }
  return out;
}

/** Naive float64 statistics of one rows × cols tensor at `offset` over `steps`, in the recorder's definitions. */
function reference(steps: Float32Array[], offset: number, rows: number, cols: number) {
  let sumAbs = 0;
  let sumSq = 0;
  let maxAbs = 0;
  const neuronSq = new Array<number>(cols).fill(0);
  const traj: number[][] = Array.from({ length: cols }, () => []);
  const position = new Array<number>(cols).fill(0);
  for (const d of steps) {
    for (let j = 0; j < cols; j++) {
      let colSum = 0;
      for (let i = 0; i < rows; i++) {
        const v = d[offset + i * cols + j];
        sumAbs += Math.abs(v);
        sumSq += v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
        neuronSq[j] += v * v;
        colSum += v;
      }
      position[j] += colSum / rows;
      traj[j].push(position[j]);
    }
  }
  const n = steps.length * rows * cols;
  const spread = traj.map((p) => {
    const m = p.reduce((a, b) => a + b, 0) / p.length;
    return Math.sqrt(p.reduce((a, b) => a + (b - m) ** 2, 0) / p.length);
  });
  const positionMeanSq = traj.map((p) => p.reduce((a, b) => a + b * b, 0) / p.length);
  const values = steps.flatMap((d) => Array.from(d.subarray(offset, offset + rows * cols)));
  return {
    meanAbs: sumAbs / n,
    rms: Math.sqrt(sumSq / n),
    maxAbs,
    neuronFluctuation: neuronSq.map((s) => Math.sqrt(s / (steps.length * rows))),
    spread,
    positionMeanSq,
    histogram: histogram(values),
    min: values.reduce((a, b) => Math.min(a, b), Infinity),
    max: values.reduce((a, b) => Math.max(a, b), -Infinity),
    sum: values.reduce((a, b) => a + b, 0),
    sumSquares: sumSq,
  };
}

/** Σ x² over `n` values of `d` from `offset`, in float64. */
const squares = (d: Float32Array, offset: number, n: number): number =>
  Array.from(d.subarray(offset, offset + n)).reduce((a, v) => a + v * v, 0);

const relClose = (a: number, b: number, rel: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b), 1e-300));

describe('WASM kernel and JS loop', () => {
  // Column counts cover SIMD blocks only (4, 64, 128), blocks plus a tail (13, 10, 7) and tail only (1).
  const shapes = [
    [37, 13, 10, 7, 4, 1],
    [784, 128, 64, 10],
  ];

  it.each(shapes.map((sizes) => ({ sizes })))(
    'give bit-identical windows on random Δ ($sizes), over several windows',
    ({ sizes }) => {
      const layout = layerLayout(sizes);
      const rng = new Rng(11, sizes.length);
      const n = parameterCount(layout);
      const windows = [5, 1, 3].map((count) => Array.from({ length: count }, () => randomDelta(n, rng)));
      const js = runPath(layout, windows, 'js');
      const wasm = runPath(layout, windows, 'wasm');
      expect(bits(wasm)).toBe(bits(js));
      // …and both are right: against a naive reference, to 1e-12 relative; histograms exactly.
      windows.forEach((steps, wi) => {
        layout.forEach((l, li) => {
          for (const [kind, offset, rows] of [
            ['weights', l.wOffset, l.fanIn],
            ['biases', l.bOffset, 1],
          ] as const) {
            const got = wasm[wi].layers[li][kind];
            const want = reference(steps, offset, rows, l.units);
            relClose(got.meanAbs, want.meanAbs, 1e-12);
            relClose(got.rms, want.rms, 1e-12);
            expect(got.maxAbs).toBe(want.maxAbs);
            expect([got.min, got.max]).toEqual([want.min, want.max]);
            expect(Math.abs(got.sum! - want.sum)).toBeLessThanOrEqual(1e-12 * want.sumSquares ** 0.5 * Math.sqrt(n));
            relClose(got.sumSquares!, want.sumSquares, 1e-12);
            got.neuronFluctuation.forEach((f, j) => {
              relClose(f, want.neuronFluctuation[j], 1e-12);
            });
            // s_j comes from running sums (Σc, Σc²), so its variance is exact to rounding of mean(c²), not of s_j².
            got.neuronSpread.forEach((s, j) => {
              expect(Math.abs(s ** 2 - want.spread[j] ** 2)).toBeLessThanOrEqual(1e-12 * want.positionMeanSq[j]);
            });
            expect(got.histogram).toEqual(want.histogram);
            // the measures free of η's scale, against their formulas written out
            const scaled = steps.flatMap((d, k) =>
              stepLr(k) > 0 ? [squares(d, offset, rows * l.units) / stepLr(k) ** 2] : [],
            );
            const theta = steps[steps.length - 1];
            const normSq = squares(theta, offset, rows * l.units);
            relClose(
              got.effectiveRms!,
              Math.sqrt(scaled.reduce((a, b) => a + b, 0) / (scaled.length * rows * l.units)),
              1e-12,
            );
            relClose(got.weightNorm!, Math.sqrt(normSq), 1e-12);
            relClose(got.updateRatio!, Math.sqrt(want.sumSquares / steps.length / normSq), 1e-12);
            expect(got.neuronUpdateRatio?.length).toBe(kind === 'weights' ? l.units : undefined);
          }
        });
      });
    },
  );

  it("flush the kernel's u32 histogram counters into exact float64 counts", () => {
    const rng = new Rng(5, 0);
    const steps = Array.from({ length: 7 }, () => randomDelta(9 * 6, rng));
    const t = tf.tensor1d(new Float32Array(9 * 6));
    const kernel = kernelForBuffer(heapView(t).buffer);
    expect(kernel).not.toBeNull();
    for (const flushSteps of [1, 2, 3, 100]) {
      const acc = new HeapTensorAccumulator(kernel!, 0, 9, 6, flushSteps);
      for (const d of steps) {
        const x = tf.tensor1d(d);
        acc.add(heapView(x).byteOffset);
        x.dispose();
      }
      const want = steps.map((d) => histogram(d)).reduce(mergeCounts);
      expect(Array.from(acc.sums().hist)).toEqual(want);
      acc.reset();
      expect(acc.sums().hist.every((c) => c === 0)).toBe(true);
      acc.dispose();
    }
    t.dispose();
  });

  it('keep working when the tfjs heap grows mid-window (the kernel imports the memory, views are re-taken)', () => {
    const layout = layerLayout([21, 9, 6]);
    const rng = new Rng(3, 0);
    const n = parameterCount(layout);
    const steps = Array.from({ length: 4 }, () => randomDelta(n, rng));
    const rec = new Recorder(layout, { tau: 0.1 });
    const first = tf.tensor1d(steps[0]);
    const before = heapView(first).buffer;
    rec.step(heapView(first), stepLr(0));
    first.dispose();
    const memory = kernelForBuffer(before)!.memory;
    const ballast: tf.Tensor[] = [];
    while (memory.buffer === before && ballast.length < 64) ballast.push(tf.zeros([4 * 1024 * 1024]));
    const grown = memory.buffer !== before;
    steps.slice(1).forEach((d, k) => {
      const t = tf.tensor1d(d);
      expect(rec.step(heapView(t), stepLr(k + 1))).toBe(true);
      t.dispose();
    });
    expect(rec.path).toBe('wasm');
    const wasm = rec.closeWindow([], steps[steps.length - 1]);
    tf.dispose(ballast);
    rec.dispose();
    expect(grown).toBe(true);
    expect(bits([wasm])).toBe(bits(runPath(layout, [steps], 'js')));
  });

  it('stage a plain array into the heap when a WASM window is fed one, and take the JS path for a window that starts with one', () => {
    const layout = layerLayout([10, 8, 3]);
    const rng = new Rng(9, 0);
    const n = parameterCount(layout);
    const steps = Array.from({ length: 3 }, () => randomDelta(n, rng));
    const rec = new Recorder(layout, { tau: 0.1 });
    const t = tf.tensor1d(steps[0]);
    rec.step(heapView(t), stepLr(0));
    t.dispose();
    rec.step(steps[1], stepLr(1));
    rec.step(steps[2], stepLr(2));
    expect(rec.path).toBe('wasm');
    const mixed = rec.closeWindow([], steps[2]);
    rec.step(steps[0]);
    expect(rec.path).toBe('js');
    rec.dispose();
    expect(bits([mixed])).toBe(bits(runPath(layout, [steps], 'js')));
  });

  it('flag NaN and ±Infinity in SIMD-block columns and tail columns alike', () => {
    const layout = layerLayout([3, 6]); // W 3 × 6: columns 0–3 are one block, 4–5 the tail
    const n = parameterCount(layout);
    for (const path of ['js', 'wasm'] as const) {
      for (const [index, value] of [
        [1, NaN],
        [2, -Infinity],
        [11, Infinity],
        [17, NaN],
        [20, Infinity],
      ] as const) {
        const d = new Float32Array(n).fill(0.5);
        d[index] = value;
        const rec = new Recorder(layout, { tau: 0.1 });
        const t = tf.tensor1d(d);
        expect(rec.step(path === 'js' ? d : heapView(t))).toBe(false);
        t.dispose();
        expect(rec.path).toBe(path);
        const w = rec.closeWindow().layers[0];
        const tensor = index < 18 ? w.weights : w.biases;
        if (Number.isNaN(value)) expect(tensor.maxAbs).toBeNaN();
        else expect(tensor.maxAbs).toBe(Infinity);
        rec.dispose();
      }
    }
  });
});
