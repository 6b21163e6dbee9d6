/**
 * A conv layer's forward product and weight gradient, for network.ts: read from its (padded) input where the tiles
 * fit (convImplicit.ts: no receptive fields written out), else a dense layer on its receptive fields (im2col, kept
 * for the weight gradient). Both give the same bits; what the forward pass keeps tells the backward pass which ran.
 *
 *     const { z, kept } = convLayerForward(a, theta, layer, op, true, group);  // z: n × outH × outW × units
 *     const part = convLayerGrad(kept, dz, layer, op, group, from);            // [dW | db]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../../contract/windowRecord.js';
import { convForward, convReadsInput, convWeightGrad, padForConv } from '../kernels/convImplicit.js';
import { im2col, type Window2d } from '../kernels/convKernels.js';
import { dense, denseGrad, type Runs } from '../kernels/gemm.js';

/** What the forward pass keeps for the weight gradient: the padded input, or the receptive fields. */
export type ConvKept = { padded: tf.Tensor4D } | { cols: tf.Tensor2D };

interface ConvOp {
  geom: Window2d;
  units: number;
}

/** act(fields · W + b) of the conv layer on `a` (n × inH × inW × inC), and what its weight gradient reads. */
export function convLayerForward(
  a: tf.Tensor4D,
  theta: tf.Tensor1D,
  l: LayerLayout,
  op: ConvOp,
  relu: boolean,
  group: Runs,
): { z: tf.Tensor4D; kept: ConvKept } {
  if (group.runs !== 1) throw new Error('conv layers train one run at a time');
  const shape: [number, number, number, number] = [a.shape[0], op.geom.outH, op.geom.outW, op.units];
  if (convReadsInput(op.units)) {
    const padded = padForConv(a, op.geom);
    return { z: tf.reshape(convForward(padded, theta, l, op.geom, relu, group.fma), shape), kept: { padded } };
  }
  // a dense layer on the receptive fields; faster than XNNPACK's convolution here
  const cols = im2col(a, op.geom);
  return { z: tf.reshape(dense(cols, theta, l, relu, group), shape), kept: { cols } };
}

/** The layer's part of the gradient, [dW | db] = [fieldsᵀ·dz | Σ dz], going on from `from` when given. */
export function convLayerGrad(
  kept: ConvKept,
  dz: tf.Tensor2D,
  l: LayerLayout,
  op: ConvOp,
  group: Runs,
  from?: tf.Tensor1D,
): tf.Tensor1D {
  return 'padded' in kept
    ? convWeightGrad(kept.padded, dz, l, op.geom, group.fma, from)
    : denseGrad(kept.cols, dz, l, group, from);
}
