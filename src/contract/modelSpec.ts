/**
 * Model specs: what network a config trains, as one string that every record keeps. Three shorthands and one general
 * form:
 *
 *     mlp:128,64      dense ReLU layers, then a dense layer to the classes (softmax cross-entropy)
 *     ae:128,32       autoencoder: dense ReLU layers down to the code and mirrored back, sigmoid output, MSE
 *     lenet           standardize,conv5x5x6:same,relu,maxpool2,conv5x5x16,relu,maxpool2,flatten,dense120,relu,dense84,relu
 *     layers:<layer>,<layer>,…   any stack of the layers below, then a dense layer to the classes
 *
 * Layers: `dense<units>`; `conv<kh>x<kw>x<channels>[/<stride>][:same|:valid]` (stride 1 and valid padding by
 * default); `maxpool<size>[/<stride>]` and `avgpool<size>[/<stride>]` (stride = size by default, valid);
 * `flatten` (implied before the first dense layer); activations `relu`, `tanh`, `sigmoid`, `gelu`; and, as the first
 * layer only, `standardize`: each input channel as (x − mean) / std with the training set's mean and standard deviation
 * of that channel (torchvision's `Normalize`, Keras's `Normalization`; no parameters, so no fluctuations, and a record
 * keeps the statistics as `inputStats`). A model can also be written as JSON (`modelFromJson`): `{"layers":
 * [{"type": "conv2d", "kernel": 5, "channels": 6, "padding": "same"}, {"type": "relu"}, …]}`, turned into the same
 * string.
 *
 *     parseModelSpec('layers:conv3x3x8:same,relu,maxpool2') // { layers: [{ type: 'conv2d', … }, …], output: 'softmax' }
 */
import { UsageError } from './errors.js';

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'gelu';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'gelu'];

/** One layer of a model spec. */
export type LayerSpec =
  | { type: 'dense'; units: number }
  | { type: 'conv2d'; kernel: [number, number]; channels: number; stride: number; padding: 'same' | 'valid' }
  | { type: 'maxpool' | 'avgpool'; size: number; stride: number }
  | { type: 'flatten' | 'standardize' }
  | { type: Activation };

/** Output head: softmax with cross-entropy (classifier) or sigmoid with mean squared error (autoencoder). */
export type OutputKind = 'softmax' | 'sigmoid';

/** A parsed model: the layers before the output layer, and the head (the output layer's units come from the data). */
export interface ModelSpec {
  layers: LayerSpec[];
  output: OutputKind;
}

/** The named models a config's `model` may give, each as the model string it stands for (modelLayers spells one out). */
export const MODEL_PRESETS: Record<string, string> = {
  lenet:
    'layers:standardize,conv5x5x6:same,relu,maxpool2,conv5x5x16:valid,relu,maxpool2,flatten,dense120,relu,dense84,relu',
};

/** Why `standardize` is refused after the first layer, and the fix. */
export const STANDARDIZE_FIRST =
  'standardize rescales the input, so it can only be the first layer: move it to the front';

const MAX_SIZE = 65536;
/** The most layers a model may have (LeNet has 12): a spec of thousands is a mistake or an attack, not a network. */
export const MAX_LAYERS = 256;
const TOO_MANY = `a model has at most ${MAX_LAYERS} layers`;
/** The keys a JSON layer of each type takes (the activations, flatten and standardize: only "type"). */
const LAYER_KEYS: Record<string, readonly string[]> = {
  dense: ['type', 'units'],
  conv2d: ['type', 'kernel', 'channels', 'stride', 'padding'],
  maxpool: ['type', 'size', 'stride'],
  avgpool: ['type', 'size', 'stride'],
};
const HELP =
  'use mlp:128,64, ae:128,32, lenet, or layers:<layer>,… with standardize (first), dense<units>, conv<k>x<k>x<channels>[/<stride>][:same|valid], maxpool<k>, avgpool<k>, flatten, relu, tanh, sigmoid, gelu (e.g. layers:conv3x3x8:same,relu,maxpool2,dense64,relu)';

/** A spec cut short for a message (a spec of thousands of layers is not echoed whole). */
function short(spec: string): string {
  return spec.length > 80 ? `${spec.slice(0, 77)}…` : spec;
}

function size(v: number, what: string, spec: string): number {
  if (!Number.isInteger(v) || v < 1 || v > MAX_SIZE)
    throw new UsageError(`model "${spec}": ${what} must be an integer from 1 to ${MAX_SIZE}, not ${v}`);
  return v;
}

/** One `layers:` token as a layer. */
function parseToken(token: string, spec: string): LayerSpec {
  const t = token.trim();
  if ((ACTIVATIONS as readonly string[]).includes(t)) return { type: t as Activation };
  if (t === 'flatten' || t === 'standardize') return { type: t };
  let m = /^dense(\d+)$/.exec(t);
  if (m) return { type: 'dense', units: size(Number(m[1]), 'dense units', spec) };
  m = /^conv(\d+)x(\d+)x(\d+)(?:\/(\d+))?(?::(same|valid))?$/.exec(t);
  if (m) {
    return {
      type: 'conv2d',
      kernel: [size(Number(m[1]), 'kernel height', spec), size(Number(m[2]), 'kernel width', spec)],
      channels: size(Number(m[3]), 'conv channels', spec),
      stride: m[4] === undefined ? 1 : size(Number(m[4]), 'stride', spec),
      padding: (m[5] ?? 'valid') as 'same' | 'valid',
    };
  }
  m = /^(max|avg)pool(\d+)(?:\/(\d+))?$/.exec(t);
  if (m) {
    const k = size(Number(m[2]), 'pool size', spec);
    return {
      type: `${m[1]}pool` as 'maxpool' | 'avgpool',
      size: k,
      stride: m[3] === undefined ? k : size(Number(m[3]), 'pool stride', spec),
    };
  }
  if (/^conv/.test(t))
    throw new UsageError(
      `model "${spec}": layer "${t}" does not parse: write conv<kh>x<kw>x<channels>[/<stride>][:same|valid], e.g. conv5x5x6:same`,
    );
  throw new UsageError(`model "${spec}": layer "${t}" is unknown: ${HELP}`);
}

/** Parses a model spec string (a preset name is expanded); throws a UsageError naming what does not parse. */
export function parseModelSpec(spec: string): ModelSpec {
  if (typeof spec !== 'string') throw new UsageError(`model ${JSON.stringify(spec)} is not a string: ${HELP}`);
  const s = spec.trim();
  if (Object.hasOwn(MODEL_PRESETS, s)) return parseModelSpec(MODEL_PRESETS[s]);
  const m = /^(mlp|ae):(.*)$/.exec(s);
  if (m) {
    if (!/^\d+(,\d+)*$/.test(m[2]))
      throw new UsageError(
        `model "${spec}" does not parse: use mlp:<units>,<units>… (e.g. mlp:128,64) or ae:<units>,…,<code> (e.g. ae:128,32)`,
      );
    const hidden = m[2].split(',').map(Number);
    if (hidden.length * (m[1] === 'mlp' ? 2 : 4) > MAX_LAYERS)
      throw new UsageError(`model "${short(spec)}" has ${hidden.length} layer sizes: ${TOO_MANY}`);
    if (hidden.some((h) => !Number.isInteger(h) || h < 1 || h > MAX_SIZE))
      throw new UsageError(`model "${spec}": layer sizes must be integers from 1 to ${MAX_SIZE}`);
    const sizes = m[1] === 'mlp' ? hidden : [...hidden, ...hidden.slice(0, -1).reverse()];
    return {
      layers: sizes.flatMap((units): LayerSpec[] => [{ type: 'dense', units }, { type: 'relu' }]),
      output: m[1] === 'mlp' ? 'softmax' : 'sigmoid',
    };
  }
  const l = /^layers:(.+)$/.exec(s);
  if (!l) throw new UsageError(`model "${spec}" does not parse: ${HELP}`);
  const tokens = l[1].split(',');
  if (tokens.length > MAX_LAYERS)
    throw new UsageError(`model "${short(spec)}" has ${tokens.length} layers: ${TOO_MANY}`);
  const layers = tokens.map((t) => parseToken(t, spec));
  if (layers.slice(1).some((x) => x.type === 'standardize'))
    throw new UsageError(`model "${spec}": ${STANDARDIZE_FIRST}`);
  return { layers, output: 'softmax' };
}

/**
 * The layers a model string trains, as `layers:` tokens (a preset expanded, `mlp:` and `ae:` written out, the output
 * layer left to the task), or null where it does not parse. A record keeps it, so that it says what it trained
 * whatever a later fluctlab means by a preset's name.
 *
 *     modelLayers('mlp:128,64') // 'layers:dense128,relu,dense64,relu'
 */
export function modelLayers(spec: string): string | null {
  try {
    return modelSpecString(parseModelSpec(spec).layers);
  } catch (e) {
    if (e instanceof UsageError) return null;
    throw e;
  }
}

/** Whether runs of these layers can train side by side as one program: dense layers, activations and standardize only (conv and pool layers train one run at a time). */
export function fusableLayers(layers: readonly LayerSpec[]): boolean {
  return layers.every(
    (l) => l.type === 'dense' || l.type === 'standardize' || (ACTIVATIONS as readonly string[]).includes(l.type),
  );
}

/** Whether runs of this model can train as a fused group (`fusableLayers`), from its spec string. */
export function fusableModel(spec: string): boolean {
  return fusableLayers(parseModelSpec(spec).layers);
}

/** The `layers:` token of a layer. */
function token(l: LayerSpec): string {
  switch (l.type) {
    case 'dense':
      return `dense${l.units}`;
    case 'conv2d':
      return `conv${l.kernel[0]}x${l.kernel[1]}x${l.channels}${l.stride === 1 ? '' : `/${l.stride}`}:${l.padding}`;
    case 'maxpool':
    case 'avgpool':
      return `${l.type}${l.size}${l.stride === l.size ? '' : `/${l.stride}`}`;
    default:
      return l.type;
  }
}

/** The canonical `layers:` string of a classifier's layers. */
export function modelSpecString(layers: readonly LayerSpec[]): string {
  return `layers:${layers.map(token).join(',')}`;
}

/**
 * A model written as JSON (a model file's content) as its `layers:` string. Each layer is an object
 * (`{"type": "dense", "units": 120}`, `{"type": "conv2d", "kernel": 5 or [5, 3], "channels": 6, "stride": 1,
 * "padding": "same"}`, `{"type": "maxpool", "size": 2, "stride": 2}`, `{"type": "relu"}`, …) or a layer token.
 */
export function modelFromJson(value: unknown, source = 'the model file'): string {
  const layers = (value as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers) || layers.length === 0)
    throw new UsageError(
      `${source} has no "layers" list: write {"layers": [{"type": "conv2d", "kernel": 5, "channels": 6}, {"type": "relu"}, …]}`,
    );
  const extra = Object.keys(value as object).find((k) => k !== 'layers');
  if (extra !== undefined)
    throw new UsageError(`${source} has ${JSON.stringify(extra)}: a model file holds only its "layers" list`);
  if (layers.length > MAX_LAYERS) throw new UsageError(`${source} has ${layers.length} layers: ${TOO_MANY}`);
  const tokens = layers.map((l, i) => {
    const at = `${source}: layer ${i + 1}`;
    if (typeof l === 'string') {
      if (!/^[^,]+$/.test(l.trim()))
        throw new UsageError(`${at} is ${JSON.stringify(l)}: a string layer is one layer token, e.g. "relu"`);
      return l;
    }
    const o = l as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.type !== 'string')
      throw new UsageError(`${at} is not an object with a "type"`);
    const keys = Object.hasOwn(LAYER_KEYS, o.type) ? LAYER_KEYS[o.type] : ['type'];
    const unknown = Object.keys(o).find((k) => !keys.includes(k));
    if (unknown !== undefined)
      throw new UsageError(
        `${at} (${o.type}) has ${JSON.stringify(unknown)}, which a ${o.type} layer does not take: its keys are ${keys.join(', ')}`,
      );
    const num = (k: string, dflt?: number): number => {
      const v = o[k] ?? dflt;
      if (typeof v !== 'number') throw new UsageError(`${at} (${o.type}) needs a number "${k}"`);
      return v;
    };
    switch (o.type) {
      case 'dense':
        return `dense${num('units')}`;
      case 'conv2d': {
        const k = Array.isArray(o.kernel) ? o.kernel : [o.kernel, o.kernel];
        if (k.length !== 2 || k.some((v) => typeof v !== 'number'))
          throw new UsageError(`${at} (conv2d) needs "kernel": a number or [height, width]`);
        const padding = o.padding ?? 'valid';
        if (padding !== 'same' && padding !== 'valid')
          throw new UsageError(`${at} (conv2d) has padding ${JSON.stringify(padding)}: use "same" or "valid"`);
        return `conv${k[0]}x${k[1]}x${num('channels')}/${num('stride', 1)}:${padding}`;
      }
      case 'maxpool':
      case 'avgpool':
        return `${o.type}${num('size')}/${num('stride', num('size'))}`;
      default:
        return o.type;
    }
  });
  const spec = `layers:${tokens.join(',')}`;
  return modelSpecString(parseModelSpec(spec).layers);
}
