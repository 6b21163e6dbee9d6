/**
 * Where one training step's time goes: the default MLP (784-128-64-10, batch 64, SGD, lr 0.1, recording on; or the
 * model given) on MNIST,
 * split into the labels (the one-hot batch; its pixels are a tf op), tf ops, the recorder and the loss (wall time around each part of Trainer.step), and the tf
 * ops split by kernel and input shapes (tf.profile, which times each kernel on the WASM backend).
 *
 * With a third argument R, R runs (learning rates 0.1/2^r) train as one fused group and the figures are per run; the
 * fourth is the arithmetic (auto, fma or exact), the fifth the optimizer (the bench's LeNet row trains with adam).
 *
 *     npx tsx scripts/profile-step.ts [steps, default 400] [model, default mlp:128,64] [runs, default 1] [arithmetic] [optimizer]
 */
import { initBackend, tf } from '../src/engine/kernels/tf.js';
import { DEFAULTS } from '../src/contract/configure.js';
import { Trainer, type StepClock } from '../src/engine/training/trainer.js';
import { loadIdxDataset } from '../src/node/mnist.js';
import type { ArithmeticSetting } from '../src/contract/config.js';

const STEPS = Number(process.argv[2] ?? 400);
await initBackend();
const data = loadIdxDataset('mnist');
const model = process.argv[3] ?? DEFAULTS.model;
const RUNS = Number(process.argv[4] ?? 1);
const arithmetic = (process.argv[5] ?? DEFAULTS.arithmetic) as ArithmeticSetting;
const optimizer = (process.argv[6] ?? DEFAULTS.optimizer) as typeof DEFAULTS.optimizer;
const lrs = Array.from({ length: RUNS }, (_, r) => (optimizer === 'adam' ? 0.001 : 0.1) / 2 ** r);
const trainer = new Trainer(data, { ...DEFAULTS, model, arithmetic, optimizer }, 1, true, RUNS);
trainer.shuffle();
const per = trainer.stepsPerEpoch;
let s = 0;
const next = () => {
  if (s === per) {
    trainer.shuffle();
    s = 0;
  }
  return s++;
};
for (let i = 0; i < Math.min(100, STEPS); i++) trainer.stepRuns(lrs, next()); // warm-up: compile, allocate, fill caches

const parts = new Map<string, number>();
let last = 0;
const clock: StepClock = {
  mark(part) {
    const t = performance.now();
    parts.set(part, (parts.get(part) ?? 0) + t - last);
    last = t;
  },
};
const t0 = performance.now();
for (let i = 0; i < STEPS; i++) {
  last = performance.now();
  trainer.stepRuns(lrs, next(), clock);
  for (let r = 0; r < RUNS; r++) if (trainer.recorder(r).windowSteps >= 200) trainer.recorder(r).closeWindow();
}
const wall = (performance.now() - t0) / STEPS / RUNS;

const kernels = new Map<string, { calls: number; ms: number }>();
const profiled = 50;
const info = await tf.profile(() => {
  for (let i = 0; i < profiled; i++) trainer.stepRuns(lrs, next());
});
for (const k of info.kernels) {
  // `<op>__op` entries are tfjs's op-level wrappers around the kernel listed next to them: counting both would count twice
  if (k.name.endsWith('__op')) continue;
  const key = `${k.name} ${k.inputShapes.map((sh) => `[${sh?.join('×') ?? ''}]`).join(' ')}`;
  const e = kernels.get(key) ?? { calls: 0, ms: 0 };
  e.calls++;
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  kernels.set(key, e);
}
trainer.dispose();

const us = (ms: number) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
console.log(
  `one step${RUNS > 1 ? ` per run of a fused group of ${RUNS}` : ''}, ${model}, ${optimizer}, batch 64, recording on, ${trainer.net.arithmetic} arithmetic: ${us(wall)} (${Math.round((64 / wall) * 1000)} samples/s), mean of ${STEPS} steps`,
);
for (const [part, ms] of parts)
  console.log(
    `  ${part.padEnd(16)} ${us(ms / STEPS / RUNS)}  ${((ms / STEPS / RUNS / wall) * 100).toFixed(1).padStart(5)}%`,
  );
const kernelTotal = [...kernels.values()].reduce((a, k) => a + k.ms, 0) / profiled / RUNS;
console.log(`tf ops by kernel (tf.profile over ${profiled} steps; ${us(kernelTotal)} of kernels per step):`);
for (const [key, k] of [...kernels].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`  ${us(k.ms / profiled / RUNS)}  ${(k.calls / profiled).toFixed(0).padStart(2)}×  ${key}`);
}
