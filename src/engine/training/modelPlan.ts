/**
 * A model spec compiled for one data set: every op with its input and output shapes, the parameter layout in the flat
 * θ (per layer W then b), and the Glorot limits. An activation that follows a dense or conv layer is merged into it,
 * so the layer's recorded activation is the activated output (before any pooling). Shape problems (a kernel larger
 * than its input, a pool that leaves nothing, a model too large) are refused here with one line.
 *
 *     const plan = compileModel(parseModelSpec('lenet'), { rows: 28, cols: 28, channels: 1 }, 10);
 *     plan.layout[0] // { name: 'conv1', fanIn: 25, units: 6, wOffset: 0, bOffset: 150 }
 */
import { convReadsInput, padForConvNeeded, paddedWindow } from '../kernels/convImplicit.js';
import { examplesUsed, type SweepConfig } from '../../contract/config.js';
import { SettingError } from '../../contract/configure.js';
import { UsageError } from '../../contract/errors.js';
import { trainCount, type Dataset } from '../data/dataset.js';
import type { Window2d } from '../kernels/convKernels.js';
import type { LayerLayout } from '../../contract/windowRecord.js';
import {
  ACTIVATIONS,
  fusableLayers,
  parseModelSpec,
  STANDARDIZE_FIRST,
  type Activation,
  type ModelSpec,
  type OutputKind,
} from '../../contract/modelSpec.js';

/** Height, width and channels of an input (a data set's images). */
export interface InputShape {
  rows: number;
  cols: number;
  channels: number;
}

/** One op of a compiled model. `param` is the index of a dense or conv layer in `layout`. */
export type Op =
  | {
      kind: 'dense';
      param: number;
      fanIn: number;
      units: number;
      act: Activation | 'linear';
      flattens: number[] | null;
    }
  | {
      kind: 'conv';
      param: number;
      geom: Window2d;
      padding: 'same' | 'valid';
      units: number;
      act: Activation | 'linear';
    }
  | { kind: 'maxpool' | 'avgpool'; geom: Window2d }
  | { kind: 'flatten'; from: number[] }
  | { kind: 'act'; act: Activation };

/** A compiled model. */
export interface ModelPlan {
  input: InputShape;
  ops: Op[];
  layout: LayerLayout[];
  /** per layer, the Glorot-uniform limit √(6 / (fan-in + fan-out)) of its weights */
  initLimits: number[];
  output: OutputKind;
  outputUnits: number;
  paramCount: number;
  /** whether the input is standardized per channel first (the spec starts with `standardize`; the network holds the statistics) */
  standardize: boolean;
  /** whether runs of it can train as a fused group (`fusableLayers`) */
  fusable: boolean;
}

/** The most parameter bytes (float32) a model may have. */
export const MAX_PARAMETER_BYTES = 512 * 2 ** 20;

/** Compiles a spec for inputs of `input`'s shape and `classes` classes (an autoencoder's output is the input's size). */
export function compileModel(spec: ModelSpec, input: InputShape, classes: number): ModelPlan {
  const ops: Op[] = [];
  const layout: LayerLayout[] = [];
  const initLimits: number[] = [];
  let shape: number[] = [input.rows, input.cols, input.channels];
  let offset = 0;
  const counts = { dense: 0, conv: 0 };
  const features = input.rows * input.cols * input.channels;
  const addParams = (kind: 'dense' | 'conv', fanIn: number, units: number, fanOut: number): number => {
    const name = `${kind}${++counts[kind]}`;
    layout.push({ name, fanIn, units, wOffset: offset, bOffset: offset + fanIn * units });
    initLimits.push(Math.sqrt(6 / (fanIn + fanOut)));
    offset += fanIn * units + units;
    if (offset * 4 > MAX_PARAMETER_BYTES)
      throw new UsageError(
        `the model has more than ${offset.toLocaleString('en-US')} parameters (over 512 MB as float32) by its layer ${name}: use fewer units, channels or a pool before the dense layers`,
      );
    return layout.length - 1;
  };
  const dense = (units: number, act: Activation | 'linear') => {
    const flattens = shape.length === 3 ? shape : null;
    const fanIn = shape.reduce((a, b) => a * b, 1);
    ops.push({ kind: 'dense', param: addParams('dense', fanIn, units, units), fanIn, units, act, flattens });
    shape = [units];
  };
  const layers = spec.layers;
  const standardize = layers[0]?.type === 'standardize';
  for (let i = standardize ? 1 : 0; i < layers.length; i++) {
    const l = layers[i];
    const next = layers[i + 1];
    const merged: Activation | 'linear' =
      next && (ACTIVATIONS as readonly string[]).includes(next.type) ? (next.type as Activation) : 'linear';
    if (l.type === 'dense') {
      dense(l.units, merged);
      if (merged !== 'linear') i++;
    } else if (l.type === 'conv2d') {
      if (shape.length !== 3)
        throw new UsageError(
          `conv layer ${counts.conv + 1} comes after a dense or flatten layer: put convolutions before them`,
        );
      const [h, w, c] = shape;
      const [kh, kw] = l.kernel;
      const geom = window2d(h, w, c, kh, kw, l.stride, l.padding, `conv layer ${counts.conv + 1} (${kh}×${kw})`);
      ops.push({
        kind: 'conv',
        param: addParams('conv', kh * kw * c, l.channels, kh * kw * l.channels),
        geom,
        padding: l.padding,
        units: l.channels,
        act: merged,
      });
      if (merged !== 'linear') i++;
      shape = [geom.outH, geom.outW, l.channels];
    } else if (l.type === 'maxpool' || l.type === 'avgpool') {
      if (shape.length !== 3)
        throw new UsageError(`a ${l.type} comes after a dense or flatten layer: pools work on images, put them before`);
      const [h, w, c] = shape;
      const geom = window2d(h, w, c, l.size, l.size, l.stride, 'valid', `${l.type}${l.size}`);
      ops.push({ kind: l.type, geom });
      shape = [geom.outH, geom.outW, c];
    } else if (l.type === 'flatten') {
      if (shape.length === 3) ops.push({ kind: 'flatten', from: shape });
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else if (l.type === 'standardize') throw new UsageError(STANDARDIZE_FIRST);
    else ops.push({ kind: 'act', act: l.type });
  }
  const outputUnits = spec.output === 'sigmoid' ? features : classes;
  dense(outputUnits, 'linear');
  return {
    input,
    ops,
    layout,
    initLimits,
    output: spec.output,
    outputUnits,
    paramCount: offset,
    standardize,
    fusable: fusableLayers(spec.layers),
  };
}

/** Activation bytes a pass over many examples (the test set, the probe batch) may hold per chunk of examples. */
export const CHUNK_BYTES = 32 * 2 ** 20;

/**
 * Float32 values a forward and backward pass hold per example, roughly: the input, each op's output twice (before
 * and after its activation), and what each conv layer keeps for its weight gradient: its receptive fields, or where
 * its products read its input (convLayer.ts) the input's padded copy, if it needs one (LeNet: ~18k, 72 KB; the
 * default MLP: ~1.2k).
 */
export function valuesPerExample(plan: ModelPlan): number {
  let size = plan.input.rows * plan.input.cols * plan.input.channels;
  let total = size;
  for (const op of plan.ops) {
    if (op.kind === 'conv') {
      const { geom } = op;
      const positions = geom.outH * geom.outW;
      if (!convReadsInput(op.units)) total += positions * geom.kh * geom.kw * geom.inC;
      else if (padForConvNeeded(geom)) {
        const p = paddedWindow(geom);
        total += p.inH * p.inW * geom.inC;
      }
      size = positions * op.units;
    } else if (op.kind === 'dense') size = op.units;
    else if (op.kind === 'maxpool' || op.kind === 'avgpool') size = op.geom.outH * op.geom.outW * op.geom.inC;
    else if (op.kind === 'flatten') continue;
    total += 2 * size;
  }
  return total;
}

/** Examples per chunk of a pass over many, at most `most`, so that a chunk holds about `CHUNK_BYTES` of activations (LeNet: 466; the default MLP: `most`). */
export function chunkExamples(plan: ModelPlan, most: number): number {
  return Math.max(1, Math.min(most, Math.floor(CHUNK_BYTES / (4 * valuesPerExample(plan)))));
}

/** The window of a kh × kw kernel at `stride` over an h × w × c input ('same': output ⌈h / stride⌉, padded as TensorFlow does). */
function window2d(
  h: number,
  w: number,
  c: number,
  kh: number,
  kw: number,
  stride: number,
  padding: 'same' | 'valid',
  what: string,
): Window2d {
  if (padding === 'valid') {
    if (kh > h || kw > w)
      throw new UsageError(
        `${what} is larger than its ${h}×${w} input${what.includes('pool') ? ': it leaves nothing' : ''}: use a smaller kernel, padding same, or fewer pools before it`,
      );
    return {
      kh,
      kw,
      stride,
      padTop: 0,
      padLeft: 0,
      inH: h,
      inW: w,
      inC: c,
      outH: Math.floor((h - kh) / stride) + 1,
      outW: Math.floor((w - kw) / stride) + 1,
    };
  }
  const outH = Math.ceil(h / stride);
  const outW = Math.ceil(w / stride);
  const padH = Math.max((outH - 1) * stride + kh - h, 0);
  const padW = Math.max((outW - 1) * stride + kw - w, 0);
  return {
    kh,
    kw,
    stride,
    padTop: Math.floor(padH / 2),
    padLeft: Math.floor(padW / 2),
    inH: h,
    inW: w,
    inC: c,
    outH,
    outW,
  };
}

/** Compiles the config's model for a data set (its image shape and classes); throws a UsageError for a model that does not fit it. */
export function modelPlan(
  c: Pick<SweepConfig, 'model'>,
  d: Pick<Dataset, 'rows' | 'cols' | 'channels' | 'numClasses'>,
): ModelPlan {
  return compileModel(parseModelSpec(c.model), { rows: d.rows, cols: d.cols, channels: d.channels }, d.numClasses);
}

/** Checks the config against the loaded data set: the model must fit its images and the batch its training examples used (the probe batch is simply capped at them). */
export function checkFitsData(c: SweepConfig, d: Dataset): void {
  modelPlan(c, d);
  const n = examplesUsed(c, trainCount(d));
  if (c.batch > n)
    throw new SettingError(
      'batch',
      `batch size ${c.batch} is larger than the ${n} training examples used: lower the batch size or use more training examples`,
    );
}

/**
 * Whether op i is a max-pool on a ReLU's output (a dense or conv layer's own ReLU, or a ReLU op), whose backward pass
 * then returns the gradient through the ReLU too (one pass over LeNet's first conv output, not two: the same bits as
 * the two) and the ReLU's own is skipped.
 */
export function poolTakesRelu(ops: readonly Op[], i: number): boolean {
  if (i <= 0 || i >= ops.length || ops[i].kind !== 'maxpool') return false;
  const before = ops[i - 1];
  return (before.kind === 'act' || before.kind === 'dense' || before.kind === 'conv') && before.act === 'relu';
}
