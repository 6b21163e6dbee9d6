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
import { UsageError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { Rng } from '../rng.js';

/** Inside tests in the shape's unit square (x right, y down, both in [−1, 1]). */
const INSIDE = {
  circle: (x: number, y: number) => x * x + y * y <= 1,
  square: (x: number, y: number) => Math.abs(x) <= 0.8 && Math.abs(y) <= 0.8,
  // apex at the top (y = −1), base along the bottom edge (y = 1)
  triangle: (x: number, y: number) => y <= 1 && Math.abs(x) <= (y + 1) / 2,
  cross: (x: number, y: number) => (Math.abs(x) <= 0.25 && Math.abs(y) <= 1) || (Math.abs(y) <= 0.25 && Math.abs(x) <= 1),
  ring: (x: number, y: number) => {
    const d = x * x + y * y;
    return d <= 1 && d >= 0.36;
  },
  diamond: (x: number, y: number) => Math.abs(x) + Math.abs(y) <= 1,
  hbar: (x: number, y: number) => Math.abs(x) <= 1 && Math.abs(y) <= 0.25,
  vbar: (x: number, y: number) => Math.abs(x) <= 0.25 && Math.abs(y) <= 1,
} as const;

export type ShapeName = keyof typeof INSIDE;

/** The eight classes in label order. */
export const SHAPE_NAMES = Object.keys(INSIDE) as ShapeName[];

/** Parameters of the data set; each is a key of the `shapes:` spec. */
export interface ShapesParams {
  /** image side in pixels (images are size × size) */
  size: number;
  /** training examples (classes take turns: example i has class i mod k, so the classes are balanced) */
  train: number;
  /** test examples */
  test: number;
  /** standard deviation of the additive Gaussian pixel noise, in intensity units (pixels span [0, 1]) */
  noise: number;
  /** smallest and largest half-extent, as fractions of half the image side */
  minScale: number;
  maxScale: number;
  /** sub-pixel samples per pixel side (anti-aliasing; 1 = one sample at the pixel centre) */
  samples: number;
  /** the classes, in label order */
  shapes: ShapeName[];
  /** data seed: the data set is the same for every run of a sweep, whatever the run's seed */
  seed: number;
}

/** Our defaults: MNIST's image size; 64 examples per class, small enough for 1000-epoch runs (fluctlab reproduce), mild noise, shapes from ~40% to ~90% of the image. */
export const SHAPES_DEFAULTS: ShapesParams = {
  size: 28,
  train: 512,
  test: 256,
  noise: 0.05,
  minScale: 0.4,
  maxScale: 0.9,
  samples: 4,
  shapes: SHAPE_NAMES,
  seed: 1,
};

const SPEC_KEYS: Record<string, keyof ShapesParams> = {
  size: 'size',
  train: 'train',
  test: 'test',
  noise: 'noise',
  minscale: 'minScale',
  maxscale: 'maxScale',
  samples: 'samples',
  shapes: 'shapes',
  seed: 'seed',
};

/** True for a data spec that names the shapes data set. */
export function isShapesSpec(data: string): boolean {
  return data === 'shapes' || data.startsWith('shapes:');
}

/** Parses `shapes` or `shapes:key=value,…` (keys: size, train, test, noise, minscale, maxscale, samples, shapes=a+b+…, seed); throws a one-line UsageError naming the bad part. */
export function parseShapesSpec(data: string): ShapesParams {
  if (!isShapesSpec(data)) throw new UsageError(`data "${data}" is not a shapes spec: use shapes or shapes:size=28,train=512`);
  const p: ShapesParams = { ...SHAPES_DEFAULTS, shapes: [...SHAPES_DEFAULTS.shapes] };
  const body = data.slice('shapes'.length);
  if (body === '') return p;
  if (body === ':') throw new UsageError('data "shapes:" has no parameters: use shapes, or shapes:size=28,train=512');
  for (const part of body.slice(1).split(',')) {
    const m = /^([a-zA-Z]+)=(.+)$/.exec(part.trim());
    const key = m ? SPEC_KEYS[m[1].toLowerCase()] : undefined;
    if (!m || !key) throw new UsageError(`shapes parameter "${part}" is unknown: use key=value with keys ${Object.keys(SPEC_KEYS).join(', ')}`);
    const value = m[2].trim();
    if (key === 'shapes') {
      const names = value.split('+').map((s) => s.trim().toLowerCase());
      const unknown = names.find((n) => !(SHAPE_NAMES as string[]).includes(n));
      if (unknown !== undefined) throw new UsageError(`shape "${unknown}" is unknown: use some of ${SHAPE_NAMES.join('+')}`);
      if (new Set(names).size !== names.length) throw new UsageError(`a shape appears twice in shapes=${value}: list each once`);
      p.shapes = names as ShapeName[];
    } else {
      const v = Number(value);
      if (!Number.isFinite(v)) throw new UsageError(`shapes parameter ${m[1]}="${value}" is not a number: e.g. ${m[1]}=${SHAPES_DEFAULTS[key]}`);
      (p as unknown as Record<string, number>)[key] = v;
    }
  }
  return validateShapes(p);
}

/** Checks the parameters' ranges; throws a UsageError naming the first problem. */
export function validateShapes(p: ShapesParams): ShapesParams {
  const int = (v: number, name: string, min: number, max: number, example: number) => {
    if (!(Number.isInteger(v) && v >= min && v <= max)) throw new UsageError(`shapes ${name}=${v} must be an integer from ${min} to ${max}: e.g. ${name}=${example}`);
  };
  int(p.size, 'size', 8, 256, 28);
  int(p.train, 'train', 1, 1_000_000, 512);
  int(p.test, 'test', 1, 1_000_000, 256);
  int(p.samples, 'samples', 1, 16, 4);
  int(p.seed, 'seed', 0, 0xffffffff, 1);
  if (!(p.noise >= 0 && p.noise <= 1)) throw new UsageError(`shapes noise=${p.noise} must be from 0 to 1 (a pixel-intensity standard deviation): e.g. noise=0.05`);
  if (!(p.minScale > 0 && p.minScale <= p.maxScale && p.maxScale <= 1)) throw new UsageError(`shapes minscale=${p.minScale}, maxscale=${p.maxScale} must satisfy 0 < minscale ≤ maxscale ≤ 1: e.g. minscale=0.4,maxscale=0.9`);
  if (p.shapes.length < 1) throw new UsageError('shapes= lists no shape: e.g. shapes=circle+square');
  if (p.size * p.size * (p.train + p.test) > 2 ** 31) throw new UsageError(`shapes data set of ${p.train + p.test} images of ${p.size}×${p.size} is larger than 2 GiB: lower train, test or size`);
  return p;
}

/** The canonical spec of a parameter set (only the keys that differ from the defaults). */
export function shapesSpec(p: ShapesParams): string {
  const parts: string[] = [];
  for (const [k, key] of Object.entries(SPEC_KEYS)) {
    const v = p[key];
    const d = SHAPES_DEFAULTS[key];
    if (key === 'shapes') {
      if ((v as ShapeName[]).join('+') !== (d as ShapeName[]).join('+')) parts.push(`shapes=${(v as ShapeName[]).join('+')}`);
    } else if (v !== d) parts.push(`${k}=${v}`);
  }
  return parts.length ? `shapes:${parts.join(',')}` : 'shapes';
}

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
function generateSplit(p: ShapesParams, count: number, placements: Rng, noise: Rng): { images: Uint8Array; labels: Uint8Array } {
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

/** Generates the data set; train and test placements and noise come from four separate streams of the data seed. */
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
