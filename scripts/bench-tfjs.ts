/**
 * The cost of fluctlab/tfjs's callback (issue 28: ≤ 10% of `fit` time): a tfjs-layers MNIST CNN (conv 3×3×8, pool,
 * conv 3×3×16, pool, dense 240, dense 10: 99,898 parameters) on the WASM backend, one epoch of `STEPS` batches of 64
 * real MNIST examples with the callback and without it, interleaved so that the machine's drift hits both alike,
 * median over `reps`. `npm run bench` prints it; alone:
 *
 *     npx tsx scripts/bench-tfjs.ts [reps, default 5]
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DEFAULTS } from '../src/contract/configure.js';
import { loadDataset } from '../src/node/loadData.js';
import { nodeEnvironment } from '../src/sweep/nodeBackend.js';
import { fluctuationCallback } from '../src/tfjs/index.js';

const STEPS = 50;
const BATCH = 64;

/** The CNN, seeded, compiled with SGD. */
export function mnistCnn(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 240, activation: 'relu', kernelInitializer: init(3) }));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }));
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  return model;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median seconds of a one-epoch fit without and with the callback, its parameters, and the overhead in %. */
export async function tfjsCallbackBench(reps = 5) {
  await nodeEnvironment();
  const data = loadDataset(DEFAULTS);
  const n = STEPS * BATCH;
  const x = tf.tensor4d(
    Float32Array.from(data.trainImages.subarray(0, n * 784), (v) => v / 255),
    [n, 28, 28, 1],
  );
  const y = tf.oneHot(tf.tensor1d(Array.from(data.trainLabels.subarray(0, n)), 'int32'), 10);
  const model = mnistCnn();
  // the callback's own time, summed over its hooks: what the noisy wall times bound from above
  let own = 0;
  const timed = () => {
    const cb = fluctuationCallback();
    for (const hook of ['onTrainBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const) {
      const f = cb[hook].bind(cb) as (...a: unknown[]) => Promise<void>;
      cb[hook] = async (...a: unknown[]) => {
        const t = performance.now();
        await f(...a);
        own += performance.now() - t;
      };
    }
    return cb;
  };
  const timeFit = async (record: boolean) => {
    const cb = record ? timed() : null;
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: cb ? [cb] : [] });
    const seconds = (performance.now() - t0) / 1000;
    cb?.dispose();
    return seconds;
  };
  await timeFit(true); // warm-up: kernels compiled, heap grown
  const off: number[] = [];
  const on: number[] = [];
  for (let i = 0; i < reps; i++)
    for (const record of i % 2 ? [true, false] : [false, true]) (record ? on : off).push(await timeFit(record));
  const params = model.countParams();
  tf.dispose([x, y]);
  model.dispose();
  const [a, b] = [median(off), median(on)];
  const ownPerStep = own / ((reps + 1) * STEPS);
  // the fastest fit of each kind as well: on a shared machine the minimum is the least disturbed measurement
  const [fa, fb] = [Math.min(...off), Math.min(...on)];
  return {
    off: a,
    on: b,
    params,
    steps: STEPS,
    overhead: (b / a - 1) * 100,
    fastestOverhead: (fb / fa - 1) * 100,
    ownPerStep,
    ownShare: (ownPerStep / ((a * 1000) / STEPS)) * 100,
  };
}

/** The bench row, as `npm run bench` prints it. */
export function tfjsBenchLines(r: Awaited<ReturnType<typeof tfjsCallbackBench>>, reps: number): string[] {
  return [
    `tfjs-layers MNIST CNN (${r.params} parameters, 2 conv layers; ${r.steps} steps of ${BATCH}, wasm, median of ${reps}):`,
    `  fit without callback ${(r.off * 1000).toFixed(0)} ms, with fluctuationCallback ${(r.on * 1000).toFixed(0)} ms`,
    `  overhead ${r.overhead.toFixed(1)}% of fit time (medians), ${r.fastestOverhead.toFixed(1)}% (fastest fits)   (target ≤ 10%)`,
    `  the callback's own time ${r.ownPerStep.toFixed(2)} ms a step = ${r.ownShare.toFixed(1)}% of a step without it (less noisy than the difference)`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const reps = Number(process.argv[2] ?? 5);
  for (const line of tfjsBenchLines(await tfjsCallbackBench(reps), reps)) console.log(line);
}
