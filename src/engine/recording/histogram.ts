/**
 * Fixed, shared histogram bins for parameter changes Δ. Every run, layer,
 * worker and machine uses the same edges, so histograms merge exactly by adding
 * counts.
 *
 * Layout (BIN_COUNT = 2·MAGNITUDE_BINS + 3 bins, index 0 first):
 *   0                        negative overflow: Δ ≤ −2^MAX_EXP (and −Infinity)
 *   1 … MAGNITUDE_BINS       negative values, largest magnitude first
 *   ZERO_BIN                 |Δ| < 2^MIN_EXP (±0 included)
 *   ZERO_BIN+1 … +MAGNITUDE_BINS  positive values, smallest magnitude first
 *   BIN_COUNT − 1            positive overflow: Δ ≥ 2^MAX_EXP (and +Infinity, NaN)
 * A value is binned by its magnitude |Δ| ∈ [e_k, e_{k+1}) on the side of its
 * sign, so the layout is mirror-symmetric.
 *
 * Magnitude edges are log-spaced, four per power of two: 2^e · m_q with
 * m_q ≈ 2^(q/4) rounded to 7 mantissa bits (1, 1.1875, 1.4140625, 1.6796875;
 * within 0.15% of the exact quarter powers). Because every edge has only 7
 * mantissa bits, the top 16 bits of a float32 (sign, exponent, 7 mantissa bits)
 * determine its bin exactly, and a 64K-entry lookup table bins a value with one
 * load: the recorder does this for every parameter at every step.
 */
import type { BinSpec } from '../../contract/record.js';

/** Smallest magnitude edge 2^MIN_EXP ≈ 9.1e-13 (below: zero bin). */
export const MIN_EXP = -40;
/** Largest magnitude edge 2^MAX_EXP = 16 (at or above: overflow bins). */
export const MAX_EXP = 4;
export const BINS_PER_OCTAVE = 4;
/** Mantissa multipliers of the edges within one octave. */
export const OCTAVE_STEPS = [1, 1 + 24 / 128, 1 + 53 / 128, 1 + 87 / 128];
export const MAGNITUDE_BINS = (MAX_EXP - MIN_EXP) * BINS_PER_OCTAVE;
export const BIN_COUNT = 2 * MAGNITUDE_BINS + 3;
export const ZERO_BIN = MAGNITUDE_BINS + 1;

const MIN_BIASED = MIN_EXP + 127;
const MAX_BIASED = MAX_EXP + 127;
const STEP_CODES = OCTAVE_STEPS.map((m) => Math.round((m - 1) * 128)); // 7-bit mantissa codes

/** Bin of a value from its float32 top-16-bit key (bits >>> 16). */
function binOfKey(key: number): number {
  const negative = key >= 0x8000;
  const e = (key >>> 7) & 0xff;
  const m7 = key & 0x7f;
  let mag: number;
  if (e < MIN_BIASED) return ZERO_BIN;
  if (e >= MAX_BIASED) mag = MAGNITUDE_BINS;
  else
    mag =
      (e - MIN_BIASED) * BINS_PER_OCTAVE +
      (m7 >= STEP_CODES[1] ? 1 : 0) +
      (m7 >= STEP_CODES[2] ? 1 : 0) +
      (m7 >= STEP_CODES[3] ? 1 : 0);
  if (e === 0xff && m7 !== 0) return BIN_COUNT - 1; // NaN whose payload reaches the top bits
  return negative ? MAGNITUDE_BINS - mag : ZERO_BIN + 1 + mag;
}

/** Lookup table: BIN_LUT[bits >>> 16] is the bin of a float32 with those bits. */
export const BIN_LUT: Uint16Array = (() => {
  const lut = new Uint16Array(65536);
  for (let k = 0; k < 65536; k++) lut[k] = binOfKey(k);
  return lut;
})();

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bin index of a number (rounded to float32 first); NaN goes to the positive overflow bin. */
export function binOf(x: number): number {
  if (Number.isNaN(x)) return BIN_COUNT - 1;
  f32[0] = x;
  return BIN_LUT[u32[0] >>> 16];
}

/** The MAGNITUDE_BINS + 1 magnitude edges 2^e·m_q in increasing order, from 2^MIN_EXP to 2^MAX_EXP. */
export function magnitudeEdges(): number[] {
  const mags: number[] = [];
  for (let e = MIN_EXP; e < MAX_EXP; e++) for (const m of OCTAVE_STEPS) mags.push(2 ** e * m);
  mags.push(2 ** MAX_EXP);
  return mags;
}

/** Lower and upper value of every bin, in layout order (for charts and exports). */
export function binRanges(): { lo: number; hi: number }[] {
  const mags = magnitudeEdges();
  const out: { lo: number; hi: number }[] = [{ lo: -Infinity, hi: -mags[mags.length - 1] }];
  for (let k = MAGNITUDE_BINS - 1; k >= 0; k--) out.push({ lo: -mags[k + 1], hi: -mags[k] });
  out.push({ lo: -mags[0], hi: mags[0] });
  for (let k = 0; k < MAGNITUDE_BINS; k++) out.push({ lo: mags[k], hi: mags[k + 1] });
  out.push({ lo: mags[mags.length - 1], hi: Infinity });
  return out;
}

export const BIN_SPEC: BinSpec = {
  kind: 'log2-symmetric-7bit',
  minExp: MIN_EXP,
  maxExp: MAX_EXP,
  binsPerOctave: BINS_PER_OCTAVE,
  binCount: BIN_COUNT,
};

/** True when two bin specifications describe the same edges. */
export function sameBins(a: BinSpec, b: BinSpec): boolean {
  return (
    a.kind === b.kind &&
    a.minExp === b.minExp &&
    a.maxExp === b.maxExp &&
    a.binsPerOctave === b.binsPerOctave &&
    a.binCount === b.binCount
  );
}

/** Histogram of an array of numbers on the shared edges. */
export function histogram(values: ArrayLike<number>): number[] {
  const counts = new Array<number>(BIN_COUNT).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(values[i])]++;
  return counts;
}

/** Adds histogram counts elementwise; both must come from the same BinSpec. */
export function mergeCounts(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length)
    throw new Error(
      `histograms have different bin counts (${a.length} vs ${b.length}): they were made with different bin edges`,
    );
  return a.map((v, i) => v + b[i]);
}
