/**
 * Benchmark of the fluctuation recorder (issue 2: recording must cost ≤ 5% of a
 * training step, and training with recording on must reach ≥ 25,000 samples/s
 * for the default MLP).
 *
 *     npm run bench:recorder -- [rounds, default 5] [steps per micro round, default 2000]
 *
 * (`npm run bench` prints the recorder-alone numbers too, via recorderMicrobench.)
 *
 * Two measurements, both as medians over `rounds` because this VM is noisy
 * (±30% run to run):
 *   1. µs per Recorder.step on a tfjs tensor of the default MLP's 109,386
 *      parameters, for the WebAssembly path (Δ read in place in the tfjs heap)
 *      and the pure-JS fallback (Δ in an ordinary Float32Array).
 *   2. samples/s of a real one-epoch training run (defaults: SGD, batch 64,
 *      mlp:128,64, lr 0.1) with recording off and on, interleaved off/on so
 *      that drifts of the machine hit both alike.
 */
import { pathToFileURL } from 'node:url';
import { initBackend, tf } from '../src/engine/kernels/tf.js';
import type { SweepConfig } from '../src/contract/config.js';
import { DEFAULTS } from '../src/contract/configure.js';
import { heapView } from '../src/engine/kernels/tfjsWasm.js';
import { layerLayout, parameterCount } from '../src/engine/training/networkInit.js';
import { Recorder } from '../src/engine/recording/recorder.js';
import { Rng } from '../src/engine/rng.js';
import { trainRun } from '../src/engine/training/run.js';
import type { Environment } from '../src/contract/record.js';
import { loadIdxDataset } from '../src/node/mnist.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

/** µs per call of `step()` over `count` calls, after a warm-up (JIT tiers, caches). */
function timeSteps(step: () => void, count: number): number {
  for (let i = 0; i < 200; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) step();
  return ((performance.now() - t0) * 1000) / count;
}

/** Median µs per Recorder.step over `rounds` rounds on the default MLP's 109,386 parameters: WASM path (Δ in the tfjs heap) and JS path. */
export async function recorderMicrobench(
  rounds: number,
  steps = 2000,
): Promise<{ n: number; wasm: number[]; js: number[] }> {
  await initBackend();
  // SGD-sized updates (|Δ| ~ 1e-4 … 1e-2) with a few exact zeros.
  const layout = layerLayout([784, 128, 64, 10]);
  const n = parameterCount(layout);
  const rng = new Rng(7, 0);
  const host = new Float32Array(n).map((_, i) => (i % 97 === 0 ? 0 : rng.normal() * 10 ** (-2 - 2 * rng.uniform())));
  const t = tf.tensor1d(host);
  const wasm: number[] = [];
  const js: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const recWasm = new Recorder(layout, { tau: 0.1 });
    wasm.push(timeSteps(() => recWasm.step(heapView(t)), steps));
    if (recWasm.path !== 'wasm') throw new Error('the recorder did not take its WASM path on a heap tensor');
    recWasm.dispose();
    const recJs = new Recorder(layout, { tau: 0.1 });
    js.push(timeSteps(() => recJs.step(host), steps));
    recJs.dispose();
  }
  t.dispose();
  return { n, wasm, js };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const microSteps = Number(process.argv[3] ?? 2000);
  const info = await initBackend();
  console.log(`backend ${info.backend}, SIMD ${info.simd}, threads ${info.threads}, ${rounds} rounds`);
  const micro = await recorderMicrobench(rounds, microSteps);
  console.log(
    `recorder alone, ${micro.n} parameters: WASM (heap tensor) ${fmt(median(micro.wasm))} µs/step (rounds ${micro.wasm.map((x) => fmt(x)).join(' ')})`,
  );
  console.log(
    `recorder alone, ${micro.n} parameters: JS (plain array)   ${fmt(median(micro.js))} µs/step (rounds ${micro.js.map((x) => fmt(x)).join(' ')})`,
  );

  // 2. Real training, recording off and on, interleaved.
  const data = loadIdxDataset('mnist');
  const config: SweepConfig = { ...DEFAULTS, lrs: [0.1] };
  const env: Environment = {
    runtime: 'bench',
    backend: info.backend,
    simd: info.simd,
    threads: info.threads,
    tfjsVersion: info.tfjsVersion,
    fluctlabVersion: 'bench',
  };
  const off: number[] = [];
  const on: number[] = [];
  const inLoop: number[] = [];
  // Times Recorder.step inside the training loop too (Δ fresh from the optimizer, caches as in real use):
  // a direct measure that the machine's drift between runs cannot blur.
  let stepUs = 0;
  let stepCount = 0;
  const step = Recorder.prototype.step;
  Recorder.prototype.step = function (this: Recorder, delta: Float32Array): boolean {
    const t0 = performance.now();
    const finite = step.call(this, delta);
    stepUs += (performance.now() - t0) * 1000;
    stepCount++;
    return finite;
  };
  await trainRun(data, { ...config, trainLimit: 6400 }, { lr: 0.1, seed: 1 }, env); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const record of r % 2 ? [true, false] : [false, true]) {
      stepUs = 0;
      stepCount = 0;
      const rec = await trainRun(data, config, { lr: 0.1, seed: 1 }, env, { record });
      (record ? on : off).push(rec.timing.samplesPerSecond);
      if (record) inLoop.push(stepUs / stepCount);
    }
  }
  Recorder.prototype.step = step;
  const mOff = median(off);
  const mOn = median(on);
  // Per-step cost of recording from the medians: 1/on − 1/off, per batch of 64.
  const usPerStep = (config.batch / mOn - config.batch / mOff) * 1e6;
  console.log(`training off: ${fmt(mOff, 0)} samples/s (rounds ${off.map((x) => fmt(x, 0)).join(' ')})`);
  console.log(`training on:  ${fmt(mOn, 0)} samples/s (rounds ${on.map((x) => fmt(x, 0)).join(' ')})`);
  console.log(
    `recording overhead from the medians: ${fmt(usPerStep)} µs/step = ${fmt((100 * (mOff - mOn)) / mOff)}% of a step (${fmt((config.batch / mOff) * 1e6)} µs)`,
  );
  console.log(
    `Recorder.step inside training: ${fmt(median(inLoop))} µs/step = ${fmt((100 * median(inLoop)) / ((config.batch / mOff) * 1e6))}% of a recording-off step (runs ${inLoop.map((x) => fmt(x)).join(' ')})`,
  );
  // Each off/on pair ran back to back, so its ratio is less exposed to the machine's drift than the medians are.
  const pairs = off.map((o, i) => 100 * (o / on[i] - 1));
  console.log(
    `recording overhead, median of paired runs: ${fmt(median(pairs))}% (pairs ${pairs.map((x) => fmt(x)).join(' ')})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
