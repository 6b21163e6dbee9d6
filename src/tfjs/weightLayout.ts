/**
 * Where a tfjs-layers model's trainable weights lie in the flat Δ vector the recorder reads (LayerLayout,
 * contract/windowRecord.ts), and what the record calls them. A neuron is what it is in fluctlab's own models: an
 * output unit of a dense layer, an output channel of a convolution, whose kernel's last axis runs over them (so the
 * row-major kernel is fan-in × units, the recorder's layout). Every other weight (a normalisation's scale, an
 * embedding, a recurrent kernel, a depthwise kernel) is one tensor without neurons: a record layer of its own with one
 * unit that is the whole tensor.
 *
 * The recorder reads a bias for every layer; a layer without one (useBias: false, or a tensor without neurons) points
 * its bias at a stretch of the vector that is always 0: a bias that never moves, which is what such a layer trains.
 *
 *     planWeights([{ layer: 'dense_Dense1', className: 'Dense', weights: [{ name: 'kernel', shape: [784, 32] }, { name: 'bias', shape: [32] }] }])
 *     // { layout: [{ name: 'dense1', fanIn: 784, units: 32, wOffset: 0, bOffset: 25088 }], places: [0, 25088], size: 25120, … }
 */
import { LAYER_NAME } from '../contract/record.js';
import type { LayerLayout } from '../contract/windowRecord.js';

/** One layer of a model as the plan reads it: its name, tfjs class and trainable weights in the model's order. */
export interface LayerWeights {
  layer: string;
  className: string;
  weights: { name: string; shape: readonly number[] }[];
}

/** The plan: the recorder's layout, each weight's offset in the flat vector (in the order given), its size. */
export interface WeightPlan {
  layout: LayerLayout[];
  /** per trainable weight, in the order of the layers and their weights: where its values start */
  places: number[];
  /** the vector's length, the always-zero stretch included */
  size: number;
  /** per record layer: whether it has neurons (a dense or convolution layer's kernel) */
  neurons: boolean[];
  /** per record layer: the index of the model layer it comes from */
  source: number[];
}

/** Layers whose kernel's last axis runs over output units or channels. */
const NEURON_CLASSES = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D']);

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
/** tfjs names weights `<layer>/<weight>` (and may prefix a scope); the record wants the last part. */
const shortName = (name: string) => name.split('/').pop()!.replace(/_\d+$/, '');

/** A record layer name from tfjs's (LAYER_NAME: a letter, then letters, digits, _ or -), unique among `taken`. */
export function recordLayerName(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  if (!/^[A-Za-z]/.test(base)) base = `l${base}`.slice(0, 60);
  let out = base;
  for (let i = 2; taken.has(out); i++) out = `${base}-${i}`;
  if (!LAYER_NAME.test(out)) throw new Error(`no record name for layer ${name}`);
  taken.add(out);
  return out;
}

/**
 * The names the record gives layers: a name the user chose as it is; a name tfjs made up (`conv2d_Conv2D7`, numbered
 * by how many such layers this process has built) as its class and its place among the model's layers of that class
 * (`conv2d1`), so that two builds of one model, in one worker or two, record the same layer names.
 */
export function stableLayerNames(layers: readonly Pick<LayerWeights, 'layer' | 'className'>[]): string[] {
  const seen = new Map<string, number>();
  return layers.map(({ layer, className }) => {
    const auto = new RegExp(`^(.+)_${className}\\d+$`).exec(layer);
    if (!auto) return layer;
    const k = (seen.get(auto[1]) ?? 0) + 1;
    seen.set(auto[1], k);
    return `${auto[1]}${k}`;
  });
}

/** Lays out every trainable weight of `layers` (LayerWeights) for the recorder. */
export function planWeights(layers: readonly LayerWeights[]): WeightPlan {
  const taken = new Set<string>();
  const names = stableLayerNames(layers);
  const layout: LayerLayout[] = [];
  const places: number[] = [];
  const neurons: boolean[] = [];
  const source: number[] = [];
  // record layers whose bias is the zero stretch, patched once its place is known
  const zeroBias: LayerLayout[] = [];
  let zeroSize = 0;
  let offset = 0;
  const place = (size: number) => {
    places.push(offset);
    offset += size;
    return offset - size;
  };
  layers.forEach((l, index) => {
    const [kernel, bias, ...others] = l.weights;
    const units = kernel?.shape.at(-1) ?? 0;
    const neural =
      NEURON_CLASSES.has(l.className) &&
      shortName(kernel.name) === 'kernel' &&
      units > 0 &&
      (bias === undefined || (shortName(bias.name) === 'bias' && elements(bias.shape) === units)) &&
      others.length === 0;
    if (neural) {
      const wOffset = place(elements(kernel.shape));
      const entry = {
        name: recordLayerName(names[index], taken),
        fanIn: elements(kernel.shape) / units,
        units,
        wOffset,
      };
      const b: LayerLayout = { ...entry, bOffset: bias ? place(units) : -1 };
      if (!bias) {
        zeroBias.push(b);
        zeroSize = Math.max(zeroSize, units);
      }
      layout.push(b);
      neurons.push(true);
      source.push(index);
      return;
    }
    for (const w of l.weights) {
      const size = elements(w.shape);
      const b: LayerLayout = {
        name: recordLayerName(`${names[index]}-${shortName(w.name)}`, taken),
        fanIn: size,
        units: 1,
        wOffset: place(size),
        bOffset: -1,
      };
      zeroBias.push(b);
      zeroSize = Math.max(zeroSize, 1);
      layout.push(b);
      neurons.push(false);
      source.push(index);
    }
  });
  for (const b of zeroBias) b.bOffset = offset;
  return { layout, places, size: offset + zeroSize, neurons, source };
}
