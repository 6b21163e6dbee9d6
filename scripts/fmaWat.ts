/**
 * The fused multiply-add build of a .wat (issue 27): every `(f32x4.add X (f32x4.mul Y Z))` becomes
 * `(f32x4.relaxed_madd Y Z X)` and every scalar `(f32.add X (f32.mul Y Z))` the same on lane 0 of splats, so each
 * product a·b is added to its sum with one rounding instead of two. Nothing else changes: the loops, the tiles and the
 * order of the sums are the .wat's, so the FMA build's bits are fixed by the formula s ← fma(a, b, s) just as the
 * exact build's are by s ← (s + a·b) rounded twice, whatever the tiling (gemm.ts holds both formulas in JavaScript).
 *
 * Why a transform and not a second .wat: the two builds cannot drift apart, and a multiply-add written in another form
 * (or a new kernel) would be left unfused silently, which fmaWat refuses instead (`unfused` counts what remains).
 */

/** The end (exclusive) of the expression or token that starts at or after `i`, and where it starts. */
function expressionAt(src: string, i: number): [number, number] {
  let start = i;
  while (/\s/.test(src[start] ?? '')) start++;
  if (src[start] !== '(') {
    let end = start;
    while (end < src.length && !/[\s)]/.test(src[end])) end++;
    return [start, end];
  }
  let depth = 0;
  for (let j = start; j < src.length; j++) {
    if (src[j] === '(') depth++;
    else if (src[j] === ')' && --depth === 0) return [start, j + 1];
  }
  throw new Error(`unbalanced parentheses after offset ${start}`);
}

/** The FMA build of `src`, and how many multiply-adds it fused. */
export function fmaWat(src: string): { wat: string; fused: number } {
  let out = '';
  let i = 0;
  let fused = 0;
  for (;;) {
    const vector = src.indexOf('(f32x4.add ', i);
    const scalar = src.indexOf('(f32.add ', i);
    const at = Math.min(...[vector, scalar].filter((x) => x >= 0));
    if (!Number.isFinite(at)) break;
    const isVector = at === vector;
    const [add, mul] = isVector ? ['(f32x4.add ', '(f32x4.mul '] : ['(f32.add ', '(f32.mul '];
    const [x0, x1] = expressionAt(src, at + add.length);
    const [m0] = expressionAt(src, x1);
    if (!src.startsWith(mul, m0)) {
      out += src.slice(i, at + add.length);
      i = at + add.length;
      continue;
    }
    const [y0, y1] = expressionAt(src, m0 + mul.length);
    const [z0, z1] = expressionAt(src, y1);
    const [, end] = expressionAt(src, at);
    const x = src.slice(x0, x1);
    const y = fmaWat(src.slice(y0, y1));
    const z = fmaWat(src.slice(z0, z1));
    fused += 1 + y.fused + z.fused;
    out += src.slice(i, at);
    out += isVector
      ? `(f32x4.relaxed_madd ${y.wat} ${z.wat} ${x})`
      : `(f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat ${y.wat}) (f32x4.splat ${z.wat}) (f32x4.splat ${x})))`;
    i = end;
  }
  return { wat: out + src.slice(i), fused };
}

/** Multiplies left in a .wat (an FMA build must have none: each would be a product rounded before its add). */
export function unfused(wat: string): number {
  return (wat.match(/\((f32x4|f32)\.mul\b/g) ?? []).length;
}
