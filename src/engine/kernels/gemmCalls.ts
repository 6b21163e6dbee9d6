/**
 * How gemm.wat's products are called: its exports (either build), a long sum taken in blocks that stay in cache
 * (`gemmInBlocks`), and whether a row-major A is read through a transposed copy (`readTransposed`, the engine's answer
 * timed once). gemmHeapKernels.ts, convInputGrad.ts and convImplicit.ts call the products through these.
 *
 *     if (readTransposed(backend, w, fma, rows, inner)) w.transpose(a, aT, rows, inner); // then sai = 4
 *     gemmInBlocks(w, a, sai, sap, b, ldb, bias, c, m, p, n, flags);
 */
import { heapAddress, type WasmBackend } from './tfjsWasm.js';

export type GemmFn = (
  a: number,
  sai: number,
  sap: number,
  b: number,
  ldb: number,
  bias: number,
  c: number,
  m: number,
  p: number,
  n: number,
  flags: number,
) => void;
/** gemm.wat's exports (either build). */
export interface GemmModule {
  gemm: GemmFn;
  /** convImplicit.ts's products read from the input: (x, n, h, w, c, kh, kw, stride, outH, outW, W, units, bias, out, flags) */
  convForward(...args: number[]): void;
  /** (x, n, h, w, c, kh, kw, stride, outH, outW, dz, units, dW, goOn) */
  convWeightGrad(...args: number[]): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  colsum(src: number, dst: number, rows: number, cols: number, from: number): void;
}

/**
 * Bytes a product's blocks of P keep in cache: the B rows, and the A values every row block reads (all of A's row when
 * A is read transposed, the weight gradient Xᵀ·dY; a 4-row strip when not). 128 KiB measured best of 32 KiB–1 MiB on
 * LeNet's weight gradients (1.3–2.0 → 0.9–1.3 ms against one pass). The default MLP's first-layer forward product
 * (P = 784) now runs in 4 blocks, with no measured change (22.0k against 22.0k samples/s in one pair).
 */
const BLOCK_BYTES = 128 * 1024;

/**
 * Whether a product's row-major A (rows × inner) is read through a transposed copy: then the four rows of a tile at
 * each k are adjacent, one splat load each, gemm.wat's path for the weight gradient, the same bits. In Node 20's V8
 * that path runs at 55-60 GFLOP/s against 40-47 for row-major A (the default MLP's first forward product 300 -> 250 us
 * with the copy's 26 us); in Chromium 156 it is no faster (243-320 against 249-266 us), so the engine is asked once
 * (transposedPays). The copy pays for up to 128 rows, or any rows of a short inner dimension (a conv layer's dz, 6400 ×
 * 16: 700 -> 580 us in Node); 256 rows of 784 took 0.5 ms to copy.
 */
export function readTransposed(
  backend: WasmBackend,
  w: GemmModule,
  fma: boolean,
  rows: number,
  inner: number,
): boolean {
  return (rows <= 128 || inner <= 32) && transposedPays(backend, w, fma);
}

const pays: Partial<Record<'fma' | 'exact', boolean>> = {};

/** Sets the engine's answer instead of timing it (both arithmetics; undefined: ask again), for tests of both paths. */
export function setTransposedReads(on: boolean | undefined): void {
  pays.fma = on;
  pays.exact = on;
}

/**
 * Whether this engine runs the default MLP's first forward product (64 × 784 by 784 × 128) faster through the
 * transposed copy than row-major: timed once per realm and arithmetic, eight of each interleaved, fastest against
 * fastest (~5 ms), each run once untimed first. Where the clock is coarse (a page that is not cross-origin isolated)
 * the two may tie, and a tie keeps row-major. The choice changes speed only, never a bit.
 */
function transposedPays(backend: WasmBackend, w: GemmModule, fma: boolean): boolean {
  const key = fma ? 'fma' : 'exact';
  const known = pays[key];
  if (known !== undefined) return known;
  const [m, k, n] = [64, 784, 128];
  const buffers = [m * k, m * k, k * n, m * n].map((size) => backend.makeOutput([size], 'float32'));
  // plain values: what the heap held may be denormal, which would time differently
  for (const t of buffers) (backend.typedArrayFromHeap(t) as Float32Array).fill(0.5);
  const [a, at, b, c] = buffers.map((t) => heapAddress(backend, t));
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const byRows = () => gemmInBlocks(w, a, k * 4, 4, b, n * 4, 0, c, m, k, n, 0);
  const byCopy = () => {
    w.transpose(a, at, m, k);
    gemmInBlocks(w, at, 4, m * 4, b, n * 4, 0, c, m, k, n, 0);
  };
  // once each untimed first: the engine's first calls may run before its optimising compiler has the code
  byRows();
  byCopy();
  let rowMajor = Number.POSITIVE_INFINITY;
  let transposed = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 8; i++) {
    rowMajor = Math.min(rowMajor, time(byRows));
    transposed = Math.min(transposed, time(byCopy));
  }
  for (const t of buffers) backend.disposeData(t.dataId);
  pays[key] = transposed < rowMajor;
  return pays[key];
}

/**
 * `gemm` with a long P taken in blocks that stay in cache: the weight gradient of a conv layer sums over every
 * receptive field of the batch (50,176 for LeNet's first layer), and one pass streams those operands from memory once
 * per output tile. Each block goes on from the last one's C (flag 4), so the bits are those of one pass.
 */
export function gemmInBlocks(
  w: GemmModule,
  a: number,
  sai: number,
  sap: number,
  b: number,
  ldb: number,
  bias: number,
  c: number,
  m: number,
  p: number,
  n: number,
  flags: number,
): void {
  const perK = n * 4 + (sai === 4 ? m * 4 : 16);
  const block = Math.max(64, Math.floor(BLOCK_BYTES / perK));
  if (p <= block) {
    w.gemm(a, sai, sap, b, ldb, bias, c, m, p, n, flags);
    return;
  }
  for (let k = 0; k < p; k += block) {
    const last = k + block >= p;
    const blockFlags = (k === 0 ? flags & 5 : 4) | (last ? flags & 2 : 0);
    w.gemm(a + k * sap, sai, sap, b + k * ldb, ldb, bias, c, m, Math.min(block, p - k), n, blockFlags);
  }
}
