/**
 * The eight-shape data set: a seeded generator of small greyscale images of
 * geometric shapes, one class per shape, in the same Dataset form as MNIST
 * (uint8 pixels, labels = class index). Pure core code: runs in Node and in a
 * browser, and the same parameters give the same bytes everywhere.
 *
 * The paper this toolkit reproduces trained on "eight geometric shapes" without
 * publishing them; the shapes, sizes and noise model here are ours, and every
 * one of them is a parameter of the `shapes:` data spec:
 *
 *     const d = generateShapes(parseShapesSpec('shapes:size=28,train=512,noise=0.05'));
 *
 * Rendering: each shape is an inside test in its own unit square [−1, 1]²,
 * placed at a seeded centre with a seeded half-extent r (pixels), and drawn
 * with `samples`² sub-pixel samples per pixel (anti-aliased coverage in
 * [0, 1]); then Gaussian noise of standard deviation `noise` is added, the
 * value clamped to [0, 1] and rounded to 0…255.
 */
import { shapesSpec, validateShapes, type ShapeName, type ShapesParams } from '../../contract/shapesSpec.js';
import type { Dataset } from './dataset.js';
import { Rng } from '../rng.js';

const INSIDE: Record<ShapeName, (x: number, y: number) => boolean> = {
  circle: (x: number, y: number) => x * x + y * y <= 1,
  square: (x: number, y: number) => Math.abs(x) <= 0.8 && Math.abs(y) <= 0.8,
  // apex at the top (y = −1), base along the bottom edge (y = 1)
  triangle: (x: number, y: number) => y <= 1 && Math.abs(x) <= (y + 1) / 2,
  cross: (x: number, y: number) =>
    (Math.abs(x) <= 0.25 && Math.abs(y) <= 1) || (Math.abs(y) <= 0.25 && Math.abs(x) <= 1),
  ring: (x: number, y: number) => {
    const d = x * x + y * y;
    return d <= 1 && d >= 0.36;
  },
  diamond: (x: number, y: number) => Math.abs(x) + Math.abs(y) <= 1,
  hbar: (x: number, y: number) => Math.abs(x) <= 1 && Math.abs(y) <= 0.25,
  vbar: (x: number, y: number) => Math.abs(x) <= 0.25 && Math.abs(y) <= 1,
};

/** Where and how large one shape is drawn: centre (cx, cy) and half-extent r, in pixels. */
export interface Placement {
  cx: number;
  cy: number;
  r: number;
}

/**
 * Draws one shape's coverage into `out` (size × size, row-major, values in [0, 1]).
 * Pixel (row i, column j) covers [j, j+1) × [i, i+1); its samples sit at
 * j + (s + 0.5)/samples. Only the shape's bounding box is visited.
 */
export function renderShape(shape: ShapeName, at: Placement, size: number, samples: number, out: Float64Array): void {
  const inside = INSIDE[shape];
  out.fill(0);
  const lo = (c: number) => Math.max(0, Math.floor(c - at.r));
  const hi = (c: number) => Math.min(size - 1, Math.ceil(c + at.r));
  const weight = 1 / (samples * samples);
  for (let i = lo(at.cy); i <= hi(at.cy); i++) {
    for (let j = lo(at.cx); j <= hi(at.cx); j++) {
      let hits = 0;
      for (let a = 0; a < samples; a++) {
        const y = (i + (a + 0.5) / samples - at.cy) / at.r;
        for (let b = 0; b < samples; b++) if (inside((j + (b + 0.5) / samples - at.cx) / at.r, y)) hits++;
      }
      out[i * size + j] = hits * weight;
    }
  }
}

/** A seeded placement: r uniform in [minScale, maxScale]·size/2, centre uniform where the shape fits inside the image. */
export function randomPlacement(p: Pick<ShapesParams, 'size' | 'minScale' | 'maxScale'>, rng: Rng): Placement {
  const half = p.size / 2;
  const r = half * (p.minScale + (p.maxScale - p.minScale) * rng.uniform());
  const cx = r + (p.size - 2 * r) * rng.uniform();
  const cy = r + (p.size - 2 * r) * rng.uniform();
  return { cx, cy, r };
}

/**
 * Renders `count` examples (example i has class i mod k). Placements and noise
 * come from two streams, so changing the noise level leaves the geometry as it was.
 */
function generateSplit(
  p: ShapesParams,
  count: number,
  placements: Rng,
  noise: Rng,
): { images: Uint8Array; labels: Uint8Array } {
  const f = p.size * p.size;
  const images = new Uint8Array(count * f);
  const labels = new Uint8Array(count);
  const coverage = new Float64Array(f);
  for (let n = 0; n < count; n++) {
    const label = n % p.shapes.length;
    labels[n] = label;
    renderShape(p.shapes[label], randomPlacement(p, placements), p.size, p.samples, coverage);
    for (let i = 0; i < f; i++) {
      const v = p.noise > 0 ? coverage[i] + p.noise * noise.normal() : coverage[i];
      images[n * f + i] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  }
  return { images, labels };
}

/**
 * Generates the eight-shapes data set; train and test placements and noise come from four separate streams of the data
 * seed, so the same parameters give the same images everywhere.
 *
 *     const data = generateShapes(parseShapesSpec('shapes:train=256,test=64')); // 28×28 grey images of 8 classes
 */
export function generateShapes(p: ShapesParams): Dataset {
  validateShapes(p);
  const train = generateSplit(p, p.train, new Rng(p.seed, 100), new Rng(p.seed, 102));
  const test = generateSplit(p, p.test, new Rng(p.seed, 101), new Rng(p.seed, 103));
  return {
    name: shapesSpec(p),
    rows: p.size,
    cols: p.size,
    channels: 1,
    numClasses: p.shapes.length,
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
  };
}
