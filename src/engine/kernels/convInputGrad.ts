/**
 * A conv layer's input gradient in one kernel: dx = col2im(dz·Wᵀ), taken a few images at a time.
 *
 * Why: as two kernels, dz·Wᵀ writes the gradient of every receptive field of the batch (LeNet's second conv: 6400 × 150
 * floats, 3.8 MB, past the L2 cache) and col2im reads it all back. Here each chunk of images (CHUNK_BYTES of receptive
 * fields) goes through the product and col2im while it is still in cache. The bits are those of the two kernels: each
 * element of dz·Wᵀ is its own sum (gemm.ts's formula, in the run's arithmetic), and col2im sums each image's fields on
 * their own, in the same order.
 *
 *     const dx = convInputGrad(dz, theta, layout[1], geom, 64, group); // n × inH × inW × inC
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../../contract/windowRecord.js';
import { linkConv } from './convHeapKernels.js';
import { col2imInto, type Window2d } from './convKernels.js';
import { gemmLoops, type Runs } from './gemm.js';
import { gemmInBlocks, readTransposed } from './gemmCalls.js';
import { linkGemm } from './gemmHeapKernels.js';
import { asWasmBackend, heapAddress, type WasmBackend } from './tfjsWasm.js';

export const CONV_INPUT_GRAD = 'FluctlabConvInputGrad';

/** Bytes of receptive-field gradients a chunk holds: a quarter of a 1 MiB L2, beside the chunk's dz and dx. */
const CHUNK_BYTES = 256 * 1024;

type Layer = Pick<LayerLayout, 'wOffset' | 'bOffset' | 'fanIn' | 'units'>;
type Attrs = Window2d & Layer & { n: number; fma: boolean };

/** dL/dx of a conv layer (one run) from dz (n·outH·outW × units) and its weights in θ. */
export function convInputGrad(
  dz: tf.Tensor2D,
  theta: tf.Tensor1D,
  l: Layer,
  g: Window2d,
  n: number,
  group: Runs,
): tf.Tensor4D {
  if (group.runs !== 1) throw new Error('conv layers train one run at a time');
  const attrs: Attrs = {
    ...g,
    wOffset: l.wOffset,
    bOffset: l.bOffset,
    fanIn: l.fanIn,
    units: l.units,
    n,
    fma: group.fma,
  };
  return tf.engine().runKernel(CONV_INPUT_GRAD, { dz, theta }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

function convInputGradKernel(backend: WasmBackend, dz: tf.TensorInfo, theta: tf.TensorInfo, a: Attrs): tf.TensorInfo {
  const { n, inH, inW, inC, outH, outW, fanIn, units } = a;
  const out = backend.makeOutput([n, inH, inW, inC], 'float32');
  const fields = outH * outW; // receptive fields (rows of dz) per image
  const w = linkGemm(backend, a.fma);
  const c = linkConv(backend);
  if (!w || !c) {
    // the JS loops: the whole product, then col2im (the same bits)
    const cols = new Float32Array(n * fields * fanIn);
    const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    gemmLoops.inputGrad(heap(dz), heap(theta), cols, n * fields, a, a.fma);
    col2imInto(cols, heap(out), a, n);
    return out;
  }
  const images = Math.max(1, Math.min(n, Math.floor(CHUNK_BYTES / (fields * fanIn * 4))));
  const wT = backend.makeOutput([units, fanIn], 'float32');
  const scratch = backend.makeOutput([images * fields, fanIn], 'float32');
  // dz read through a transposed copy where that pays (gemmCalls.ts readTransposed: LeNet's second layer's
  // 6400 × 16 by 16 × 150, 700 -> 580 us with the copy's 40 us, the same bits)
  const dzT = readTransposed(backend, w, a.fma, n * fields, units)
    ? backend.makeOutput([units, n * fields], 'float32')
    : null;
  // addresses after the last makeOutput, which may grow the heap
  const [da, t, oa, wa, sa] = [dz, theta, out, wT, scratch].map((x) => heapAddress(backend, x));
  const dt = dzT ? heapAddress(backend, dzT) : 0;
  if (dzT) w.transpose(da, dt, n * fields, units);
  w.transpose(t + a.wOffset * 4, wa, fanIn, units);
  for (let b = 0; b < n; b += images) {
    const k = Math.min(images, n - b);
    const [A, sai, sap] = dzT ? [dt + b * fields * 4, 4, n * fields * 4] : [da + b * fields * units * 4, units * 4, 4];
    gemmInBlocks(w, A, sai, sap, wa, fanIn * 4, 0, sa, k * fields, units, fanIn, 0);
    c.col2im(sa, oa + b * inH * inW * inC * 4, k, inH, inW, inC, a.kh, a.kw, a.stride, a.padTop, a.padLeft, outH, outW);
  }
  backend.disposeData(wT.dataId);
  backend.disposeData(scratch.dataId);
  if (dzT) backend.disposeData(dzT.dataId);
  return out;
}

/** Registers the kernel on the 'wasm' backend (kernels.ts installs it with the others). */
export function registerConvInputGrad(): void {
  if (tf.getKernel(CONV_INPUT_GRAD, 'wasm')) return;
  tf.registerKernel({
    kernelName: CONV_INPUT_GRAD,
    backendName: 'wasm',
    kernelFunc: (args) =>
      convInputGradKernel(
        asWasmBackend(args.backend),
        args.inputs.dz as tf.TensorInfo,
        args.inputs.theta as tf.TensorInfo,
        args.attrs as unknown as Attrs,
      ),
  });
}
