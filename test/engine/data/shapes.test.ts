import { describe, expect, it } from 'vitest';
import { validateConfig, DEFAULTS } from '../../../src/contract/configure.js';
import { UsageError } from '../../../src/contract/errors.js';
import { Rng } from '../../../src/engine/rng.js';
import { generateShapes, randomPlacement, renderShape } from '../../../src/engine/data/shapes.js';
import {
  parseShapesSpec,
  SHAPE_NAMES,
  SHAPES_DEFAULTS,
  shapesSpec,
  type ShapeName,
} from '../../../src/contract/shapesSpec.js';

const tiny = { ...SHAPES_DEFAULTS, size: 12, train: 24, test: 8 };

/** One centred shape on an 8×8 image, filling it (r = 4), one sample per pixel centre: every pixel is 0 or 1. */
function centred(shape: ShapeName): Float64Array {
  const out = new Float64Array(64);
  renderShape(shape, { cx: 4, cy: 4, r: 4 }, 8, 1, out);
  return out;
}

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
const transpose = (a: Float64Array) => a.map((_, k) => a[(k % 8) * 8 + Math.floor(k / 8)]);
const flipRows = (a: Float64Array) => a.map((_, k) => a[(7 - Math.floor(k / 8)) * 8 + (k % 8)]);

describe('shape rendering on an 8×8 grid (pixel centres at u = ±1/8, ±3/8, ±5/8, ±7/8 of the half-extent)', () => {
  // Counted by hand from each inside test: e.g. the diamond |x|+|y| ≤ 1 holds for |x| = 1/8 at all 8 rows, for
  // 3/8 at 6, for 5/8 at 4, for 7/8 at 2: 2·(8+6+4+2) = 40 pixels.
  const mass: Record<ShapeName, number> = {
    circle: 52,
    square: 36,
    triangle: 32,
    cross: 28,
    ring: 36,
    diamond: 40,
    hbar: 16,
    vbar: 16,
  };
  for (const shape of SHAPE_NAMES) {
    it(`${shape} covers ${mass[shape]} of 64 pixels`, () => {
      const img = centred(shape);
      expect(img.every((v) => v === 0 || v === 1)).toBe(true);
      expect(sum(img)).toBe(mass[shape]);
    });
  }

  it('every class draws a different image', () => {
    const imgs = SHAPE_NAMES.map((s) => centred(s).join(''));
    expect(new Set(imgs).size).toBe(8);
  });

  it('symmetries tell the look-alikes apart: hbar is vbar transposed, the ring has a hole the circle fills, the triangle points up', () => {
    expect(Array.from(transpose(centred('hbar')))).toEqual(Array.from(centred('vbar')));
    for (const s of ['circle', 'square', 'cross', 'ring', 'diamond'] as const)
      expect(Array.from(transpose(centred(s)))).toEqual(Array.from(centred(s)));
    const centre = [27, 28, 35, 36];
    expect(centre.map((k) => centred('ring')[k])).toEqual([0, 0, 0, 0]);
    expect(centre.map((k) => centred('circle')[k])).toEqual([1, 1, 1, 1]);
    const tri = centred('triangle');
    expect(Array.from(flipRows(tri))).not.toEqual(Array.from(tri));
    expect(sum(tri.subarray(0, 32))).toBe(8); // top half: rows of 0, 2, 2, 4 pixels
  });

  it('anti-aliasing: 4×4 samples give partial coverage on the circle edge, and no pixel outside the bounding box', () => {
    const out = new Float64Array(64);
    renderShape('circle', { cx: 4, cy: 4, r: 3 }, 8, 4, out);
    expect(out.some((v) => v > 0 && v < 1)).toBe(true);
    for (let k = 0; k < 64; k++) if (Math.floor(k / 8) === 0 || k % 8 === 0) expect(out[k]).toBe(0);
  });
});

describe('the generated data set', () => {
  it('is deterministic: the same parameters give the same bytes; another data seed gives others', () => {
    const a = generateShapes(tiny);
    const b = generateShapes(tiny);
    expect(Buffer.from(a.trainImages).equals(Buffer.from(b.trainImages))).toBe(true);
    expect(Buffer.from(a.testImages).equals(Buffer.from(b.testImages))).toBe(true);
    const c = generateShapes({ ...tiny, seed: 2 });
    expect(Buffer.from(a.trainImages).equals(Buffer.from(c.trainImages))).toBe(false);
    expect(Buffer.from(a.trainImages.subarray(0, 144)).equals(Buffer.from(a.testImages.subarray(0, 144)))).toBe(false);
  });

  it('has the MNIST layout: uint8 pixels, balanced labels = class index, size × size images', () => {
    const d = generateShapes(tiny);
    expect([d.rows, d.cols, d.numClasses, d.trainLabels.length, d.testLabels.length]).toEqual([12, 12, 8, 24, 8]);
    expect(d.trainImages.length).toBe(24 * 144);
    expect(Array.from(d.trainLabels.subarray(0, 9))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0]);
    expect(d.name).toBe('shapes:size=12,train=24,test=8');
  });

  it('without noise, a class-k image is exactly that shape at a seeded placement that fits in the image', () => {
    const p = { ...tiny, noise: 0, shapes: ['square', 'ring'] as ShapeName[] };
    const d = generateShapes(p);
    const rng = new Rng(p.seed, 100);
    const cov = new Float64Array(144);
    for (let n = 0; n < 4; n++) {
      const at = randomPlacement(p, rng);
      expect(at.r).toBeGreaterThanOrEqual(0.4 * 6);
      expect(at.r).toBeLessThanOrEqual(0.9 * 6);
      expect(at.cx - at.r).toBeGreaterThanOrEqual(0);
      expect(at.cx + at.r).toBeLessThanOrEqual(12);
      renderShape(p.shapes[n % 2], at, 12, p.samples, cov);
      expect(Array.from(d.trainImages.subarray(n * 144, (n + 1) * 144))).toEqual(
        Array.from(cov, (v) => Math.round(255 * v)),
      );
    }
  });

  it('noise moves background pixels off zero with the requested spread', () => {
    const d = generateShapes({ ...SHAPES_DEFAULTS, train: 64, test: 8, noise: 0.1 });
    const a = generateShapes({ ...SHAPES_DEFAULTS, train: 64, test: 8, noise: 0 });
    let n = 0;
    let s2 = 0;
    for (let i = 0; i < a.trainImages.length; i++) {
      if (a.trainImages[i] !== 0) continue;
      n++;
      s2 += (d.trainImages[i] / 255) ** 2; // clamped at 0: E[max(0, ε)²] = σ²/2
    }
    expect(Math.sqrt((2 * s2) / n)).toBeCloseTo(0.1, 2);
  });
});

describe('shapes data specs', () => {
  it('parse with defaults and overrides, and print back canonically', () => {
    expect(parseShapesSpec('shapes')).toEqual(SHAPES_DEFAULTS);
    const p = parseShapesSpec(
      'shapes:size=16,train=400,test=80,noise=0,shapes=circle+Square,minscale=0.5,maxscale=0.5,seed=7,samples=2',
    );
    expect(p).toEqual({
      ...SHAPES_DEFAULTS,
      size: 16,
      train: 400,
      test: 80,
      noise: 0,
      shapes: ['circle', 'square'],
      minScale: 0.5,
      maxScale: 0.5,
      seed: 7,
      samples: 2,
    });
    expect(parseShapesSpec(shapesSpec(p))).toEqual(p);
    expect(validateConfig({ ...DEFAULTS, data: 'shapes:size=16', model: 'ae:32,8' }).data).toBe('shapes:size=16');
  });

  const bad: [string, RegExp][] = [
    ['shapes:size=7', /size=7 must be an integer from 8/],
    ['shapes:train=0', /train=0 must be an integer from 1/],
    ['shapes:test=-5', /test=-5 must be an integer from 1/],
    ['shapes:train=2.5', /train=2.5 must be an integer/],
    ['shapes:shapes=circle+hexagon', /shape "hexagon" is unknown/],
    ['shapes:shapes=circle+circle', /appears twice/],
    ['shapes:colour=red', /parameter "colour=red" is unknown/],
    ['shapes:size', /parameter "size" is unknown/],
    ['shapes:noise=abc', /noise="abc" is not a number/],
    ['shapes:noise=2', /noise=2 must be from 0 to 1/],
    ['shapes:minscale=0.9,maxscale=0.5', /minscale=0.9, maxscale=0.5/],
    ['shapes:', /has no parameters/],
    ['shapesx', /data "shapesx" is unknown/],
  ];
  for (const [spec, message] of bad) {
    it(`refuses ${spec} with one line`, () => {
      let err: unknown;
      try {
        validateConfig({ ...DEFAULTS, data: spec });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});
