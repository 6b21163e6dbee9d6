/**
 * The gradient kernel tfjs-wasm 4.22 lacks for models built with tfjs-layers: Conv2DBackpropFilter (a Conv2D layer's
 * kernel gradient; without it a tfjs-layers CNN cannot train on the WASM backend at all). It is the product fluctlab's
 * own conv layers use for the same gradient: the input's receptive fields as rows (our im2col kernel,
 * convHeapKernels.ts), transposed, times dy, [kh·kw·c_in, P] · [P, c_out] with P = n·outH·outW, read as the filter's
 * [kh, kw, c_in, c_out]. Both steps call the backend's kernels directly, so no tensor passes through the engine.
 * NHWC, equal strides and no dilation (what the layers' defaults give); anything else is refused by name.
 *
 *     registerLayersGradKernels(); // once the 'wasm' backend is active (installKernelFixes calls it)
 */
import * as tf from '@tensorflow/tfjs-core';
import { IM2COL, type Window2d } from './convKernels.js';
import { asWasmBackend } from './tfjsWasm.js';

interface FilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Registers Conv2DBackpropFilter for 'wasm' where tfjs has none. */
export function registerLayersGradKernels(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as FilterAttrs;
      if (a.dataFormat === 'NCHW')
        throw new Error('Conv2DBackpropFilter on wasm: NCHW data is not supported (use channelsLast)');
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
      );
      if (info.strideHeight !== info.strideWidth || info.dilationHeight !== 1 || info.dilationWidth !== 1)
        throw new Error('Conv2DBackpropFilter on wasm: only equal strides and no dilation are supported');
      const g: Window2d = {
        kh: info.filterHeight,
        kw: info.filterWidth,
        stride: info.strideHeight,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        inH: info.inHeight,
        inW: info.inWidth,
        inC: info.inChannels,
        outH: info.outHeight,
        outW: info.outWidth,
      };
      const rows = info.batchSize * g.outH * g.outW;
      const k = g.kh * g.kw * g.inC;
      const run = (name: string, ins: tf.NamedTensorInfoMap, at: object) =>
        tf.getKernel(name, 'wasm')!.kernelFunc({
          inputs: ins,
          backend,
          attrs: at as unknown as tf.NamedAttrMap,
        }) as tf.TensorInfo;
      const cols = run(IM2COL, { x }, g);
      const product = run(
        'BatchMatMul',
        { a: { ...cols, shape: [1, rows, k] }, b: { ...dy, shape: [1, rows, info.outChannels] } },
        { transposeA: true, transposeB: false },
      );
      asWasmBackend(backend).disposeData(cols.dataId);
      return { dataId: product.dataId, shape: a.filterShape, dtype: 'float32' };
    },
  });
}
