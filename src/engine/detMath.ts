/**
 * exp, log, pow and cos from +, −, × and ÷ alone, so that they give the same
 * bits in every JavaScript engine. IEEE 754 rounds those four operations
 * correctly everywhere, but Math.pow, Math.exp, Math.log and Math.cos are only
 * approximations, and V8's differ between versions: Node 20 and a current
 * Chromium disagree in the last bit of Math.pow(1e5, 17/39), which would break
 * the same-numbers-in-Node-and-the-browser promise for every learning rate a
 * schedule or the LR range test computes; Math.exp or Math.log differ too (a cross-entropy loss came out 1 ulp apart).
 * Accurate to about 1 ulp.
 *
 *     detPow(10, 0.5) // 3.1622776601683795, in Node and in any browser
 */

const LN2_HI = 0.6931471803691238; // ln 2 split so that k·LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10;
const SQRT_HALF = 0.7071067811865476;
const TWO_64 = 18446744073709551616; // 2^64, exact
const TWO_MINUS_64 = 1 / TWO_64;

/** 2^k for k in [−540, 540], made by exact doubling and halving (detExp scales by two of these). */
const POW2_BIAS = 540;
const POW2 = (() => {
  const t = new Float64Array(2 * POW2_BIAS + 1);
  t[POW2_BIAS] = 1;
  for (let k = 1; k <= POW2_BIAS; k++) {
    t[POW2_BIAS + k] = t[POW2_BIAS + k - 1] * 2;
    t[POW2_BIAS - k] = t[POW2_BIAS - k + 1] / 2;
  }
  return t;
})();

/** e^x: fdlibm's __ieee754_exp (reduction by ln 2, a degree-5 rational remainder), in plain arithmetic. */
export function detExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.78) return Infinity;
  if (x < -745.13) return 0;
  const k = Math.round(x / 0.6931471805599453);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo; // |r| ≤ ln2/2
  const t = r * r;
  const c =
    r -
    t *
      (1.66666666666666019037e-1 +
        t *
          (-2.77777777770155933842e-3 +
            t * (6.61375632143793436117e-5 + t * (-1.6533902205465251539e-6 + t * 4.13813679705723846039e-8))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  if (k === 0) return y;
  // in two halves, so that neither factor overflows or underflows on its own
  const h = Math.trunc(k / 2);
  return y * POW2[POW2_BIAS + h] * POW2[POW2_BIAS + k - h];
}

/** ln x: fdlibm's __ieee754_log (x = 2^e·m, m in [√½, √2), a polynomial in s = f/(2 + f)), in plain arithmetic. */
export function detLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let m = x;
  let e = 0;
  while (m >= TWO_64) {
    m *= TWO_MINUS_64;
    e += 64;
  }
  while (m < TWO_MINUS_64) {
    m *= TWO_64;
    e -= 64;
  }
  while (m >= 2) {
    m *= 0.5;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  if (m > 2 * SQRT_HALF) {
    m *= 0.5;
    e++;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
  const t2 =
    z *
    (6.66666666666673513e-1 +
      w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
  const hfsq = 0.5 * f * f;
  return e * LN2_HI - (hfsq - (s * (hfsq + t2 + t1) + e * LN2_LO) - f);
}

/** base^exponent for base > 0 (exactly base^n by squaring for an integer n). */
export function detPow(base: number, exponent: number): number {
  if (Number.isInteger(exponent) && Math.abs(exponent) <= 1024) {
    let r = 1;
    let b = base;
    for (let n = Math.abs(exponent); n > 0; n = Math.floor(n / 2)) {
      if (n % 2 === 1) r *= b;
      b *= b;
    }
    return exponent < 0 ? 1 / r : r;
  }
  return detExp(exponent * detLog(base));
}

/** cos x for x in [−2π, 2π] (the schedules use [0, π]). */
export function detCos(x: number): number {
  let y = Math.abs(x);
  if (y > Math.PI) y = 2 * Math.PI - y;
  let sign = 1;
  if (y > Math.PI / 2) {
    y = Math.PI - y;
    sign = -1;
  }
  // cos y = 1 − 2 sin²(y/2), y/2 ≤ π/4: short series, accurate near y = π/2
  const h = y / 2;
  const sh = h * sinOverX(h * h);
  return sign * (1 - 2 * sh * sh);
}

/** sin(h)/h = Σ_j (−1)^j h^{2j} / (2j+1)! to j = 10, by Horner: 1 − h²/(2·3)·(1 − h²/(4·5)·(1 − …)). */
function sinOverX(h2: number): number {
  let r = 1;
  for (let j = 10; j >= 1; j--) r = 1 - (h2 * r) / (2 * j * (2 * j + 1));
  return r;
}
