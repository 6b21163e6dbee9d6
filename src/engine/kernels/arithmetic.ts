/**
 * Which arithmetic the products of a run use (contract/config.ts ARITHMETICS): whether this engine fuses multiply-adds,
 * what `auto` resolves to here, and fused multiply-add in JavaScript for the loops that twin the WebAssembly.
 *
 * Relaxed SIMD's f32x4.relaxed_madd may be fused or not, at the engine's choice: V8 fuses it on x86 with FMA3 and on
 * ARM64, and computes a multiply then an add elsewhere. So having the instruction is not enough: the probe runs it on
 * values whose one and two roundings differ, and only a fused answer counts. In Node 20 the instruction needs
 * `--experimental-wasm-relaxed-simd` before a module is compiled (contract/host.ts sets it); Chromium ships it;
 * Safari does not by default (there `auto` is exact).
 *
 *     resolveArithmetic('auto'); // 'fma' on this machine's V8, 'exact' in Safari
 */
import type { Arithmetic, ArithmeticSetting, SweepConfig } from '../../contract/config.js';
import { SettingError, settingMessage, type Shell } from '../../contract/configure.js';
import { UsageError } from '../../contract/errors.js';
import { SETTINGS } from '../../contract/settings.js';
import { SettingProblem } from '../../contract/settingKinds.js';
import { allowRelaxedSimd } from '../../contract/host.js';
import { FMA_PROBE_WASM } from './wasm/fmaProbeWasm.js';

let fuses: boolean | undefined;

/** True when this engine compiles relaxed SIMD and its relaxed_madd rounds once (probed once per realm). */
export function engineFusesMultiplyAdd(): boolean {
  if (fuses !== undefined) return fuses;
  allowRelaxedSimd();
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const probe = new WebAssembly.Instance(new WebAssembly.Module(FMA_PROBE_WASM), { env: { memory } }).exports
      .probe as (a: number, b: number, c: number) => number;
    // (1 + 2⁻¹²)² − (1 + 2⁻¹¹) is 2⁻²⁴ exactly; rounding the product first loses that 2⁻²⁴ (a tie, to even) and gives 0
    const a = 1 + 2 ** -12;
    fuses = probe(a, a, -(1 + 2 ** -11)) === 2 ** -24;
  } catch {
    fuses = false; // no relaxed SIMD: the module does not compile
  }
  return fuses;
}

const NO_FMA = new SettingProblem(
  '"fma" needs an engine that fuses multiply-adds (relaxed SIMD: Node, Chromium; not Safari or a CPU without FMA)',
  'exact',
);

/**
 * Refuses, before anything is written, a config that asks for `fma` where this engine cannot fuse: a SettingError
 * worded for `shell` (the engine that trains is this one, or a worker of the same engine).
 */
export function checkArithmetic(config: Pick<SweepConfig, 'arithmetic'>, shell: Shell): void {
  if (config.arithmetic === 'fma' && !engineFusesMultiplyAdd())
    throw new SettingError('arithmetic', settingMessage(SETTINGS.arithmetic, NO_FMA, shell));
}

/** The arithmetic a run of this config uses in this engine; `fma` where the engine cannot fuse is refused. */
export function resolveArithmetic(setting: ArithmeticSetting): Arithmetic {
  if (setting === 'exact') return 'exact';
  if (engineFusesMultiplyAdd()) return 'fma';
  if (setting === 'auto') return 'exact';
  throw new UsageError(settingMessage(SETTINGS.arithmetic, NO_FMA, 'api'));
}

const f64 = new Float64Array(1);
const bits = new BigInt64Array(f64.buffer);

/**
 * fma(a, b, c) = a·b + c rounded once to float32, for float32 a, b and c: the product is exact in a double (24 + 24
 * bits ≤ 53), the sum is taken in a double rounded to odd (round to nearest, then, when that was inexact and left an
 * even last bit, one step toward the exact sum), and a double rounded to odd rounds to float32 as the exact sum would,
 * since 53 ≥ 24 + 2 (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums", 2008).
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const v = s - p;
  const err = p - (s - v) + (c - v); // TwoSum: s + err is p + c exactly
  if (err === 0) return Math.fround(s);
  f64[0] = s;
  if ((bits[0] & 1n) === 0n) bits[0] += err > 0 === s > 0 ? 1n : -1n; // s ≠ 0 here: a sum that rounds to 0 is exact
  return Math.fround(f64[0]);
}
