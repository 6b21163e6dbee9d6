/**
 * The `shapes` data spec: the parameters of the generated eight-shape data set as a config's `data` string,
 * `shapes` or `shapes:key=value,…`, parsed and checked here; engine/data/shapes.ts draws the images.
 *
 *     parseShapesSpec('shapes:size=16,train=128') // { size: 16, train: 128, test: 256, … }
 */
import { UsageError } from './errors.js';
import { isDecimal } from './settingKinds.js';

/** The eight classes in label order. */
export const SHAPE_NAMES = ['circle', 'square', 'triangle', 'cross', 'ring', 'diamond', 'hbar', 'vbar'] as const;

/** The shapes the generator draws. */
export type ShapeName = (typeof SHAPE_NAMES)[number];

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
  shapes: [...SHAPE_NAMES],
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

/**
 * Parses `shapes` or `shapes:key=value,…` (keys: size, train, test, noise, minscale, maxscale, samples, shapes=a+b+…,
 * seed), the rest at their defaults; throws a one-line UsageError naming the bad part.
 *
 *     parseShapesSpec('shapes:size=16,train=128') // { size: 16, train: 128, test: 256, … }
 */
export function parseShapesSpec(data: string): ShapesParams {
  if (!isShapesSpec(data))
    throw new UsageError(`data "${data}" is not a shapes spec: use shapes or shapes:size=28,train=512`);
  const p: ShapesParams = { ...SHAPES_DEFAULTS, shapes: [...SHAPES_DEFAULTS.shapes] };
  const body = data.slice('shapes'.length);
  if (body === '') return p;
  if (body === ':') throw new UsageError('data "shapes:" has no parameters: use shapes, or shapes:size=28,train=512');
  for (const part of body.slice(1).split(',')) {
    const m = /^([a-zA-Z]+)=(.+)$/.exec(part.trim());
    const key = m ? SPEC_KEYS[m[1].toLowerCase()] : undefined;
    if (!m || !key)
      throw new UsageError(
        `shapes parameter "${part}" is unknown: use key=value with keys ${Object.keys(SPEC_KEYS).join(', ')}`,
      );
    const value = m[2].trim();
    if (key === 'shapes') {
      const names = value.split('+').map((s) => s.trim().toLowerCase());
      const unknown = names.find((n) => !(SHAPE_NAMES as readonly string[]).includes(n));
      if (unknown !== undefined)
        throw new UsageError(`shape "${unknown}" is unknown: use some of ${SHAPE_NAMES.join('+')}`);
      if (new Set(names).size !== names.length)
        throw new UsageError(`a shape appears twice in shapes=${value}: list each once`);
      p.shapes = names as ShapeName[];
    } else {
      const v = Number(value);
      if (!isDecimal(value) || !Number.isFinite(v))
        throw new UsageError(
          `shapes parameter ${m[1]}="${value}" is not a number: e.g. ${m[1]}=${SHAPES_DEFAULTS[key]}`,
        );
      (p as unknown as Record<string, number>)[key] = v;
    }
  }
  return validateShapes(p);
}

/** Checks the parameters' ranges; throws a UsageError naming the first problem. */
export function validateShapes(p: ShapesParams): ShapesParams {
  const int = (v: number, name: string, min: number, max: number, example: number) => {
    if (!(Number.isInteger(v) && v >= min && v <= max))
      throw new UsageError(`shapes ${name}=${v} must be an integer from ${min} to ${max}: e.g. ${name}=${example}`);
  };
  int(p.size, 'size', 8, 256, 28);
  int(p.train, 'train', 1, 1_000_000, 512);
  int(p.test, 'test', 1, 1_000_000, 256);
  int(p.samples, 'samples', 1, 16, 4);
  int(p.seed, 'seed', 0, 0xffffffff, 1);
  if (!(p.noise >= 0 && p.noise <= 1))
    throw new UsageError(
      `shapes noise=${p.noise} must be from 0 to 1 (a pixel-intensity standard deviation): e.g. noise=0.05`,
    );
  if (!(p.minScale > 0 && p.minScale <= p.maxScale && p.maxScale <= 1))
    throw new UsageError(
      `shapes minscale=${p.minScale}, maxscale=${p.maxScale} must satisfy 0 < minscale ≤ maxscale ≤ 1: e.g. minscale=0.4,maxscale=0.9`,
    );
  if (p.shapes.length < 1) throw new UsageError('shapes= lists no shape: e.g. shapes=circle+square');
  if (p.size * p.size * (p.train + p.test) > 2 ** 31)
    throw new UsageError(
      `shapes data set of ${p.train + p.test} images of ${p.size}×${p.size} is larger than 2 GiB: lower train, test or size`,
    );
  return p;
}

/** The canonical spec of a parameter set (only the keys that differ from the defaults). */
export function shapesSpec(p: ShapesParams): string {
  const parts: string[] = [];
  for (const [k, key] of Object.entries(SPEC_KEYS)) {
    const v = p[key];
    const d = SHAPES_DEFAULTS[key];
    if (key === 'shapes') {
      if ((v as ShapeName[]).join('+') !== (d as ShapeName[]).join('+'))
        parts.push(`shapes=${(v as ShapeName[]).join('+')}`);
    } else if (v !== d) parts.push(`${k}=${v}`);
  }
  return parts.length ? `shapes:${parts.join(',')}` : 'shapes';
}
