/**
 * Training runs: one (learning rate, seed) pair of a sweep from seeded initialisation to its RunRecord, or a fused
 * group of runs that share a seed, trained side by side as one program (trainer.ts) with the same step loop. Pure
 * core: the data set arrives as arrays, the environment description as a value, time through an injected clock.
 *
 *     const record = await trainRun(dataset, config, { lr: 0.1, seed: 1 }, env);
 *     const records = await trainRuns(dataset, config, [{ lr: 0.1, seed: 1 }, { lr: 0.01, seed: 1 }], env);
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropySum } from './batch.js';
import { PIXEL_SCALE, pixelBatch } from '../kernels/pixelBatch.js';
import { joinsLastWindow, runId, type RunSpec, type SweepConfig } from '../../contract/config.js';
import { CancelledError } from '../../contract/errors.js';
import { featureCount, type Dataset } from '../data/dataset.js';
import type { Network } from './network.js';
import { chunkExamples } from './modelPlan.js';
import { reconstructSample } from './reconstruction.js';
import { Trainer } from './trainer.js';
import { RunBook, type RunHooks, type TestResult } from './runBook.js';
import type { Environment, RunRecord } from '../../contract/record.js';

export type { RunHooks, RunProgress, RunWindow } from './runBook.js';

/** Test examples per chunk at most (fewer where a model's activations are large: `chunkExamples`). */
const EVAL_CHUNK = 1000;

/** Trains one run and returns its record. Diverging runs end early with status 'diverged'. */
export async function trainRun(
  data: Dataset,
  config: SweepConfig,
  spec: RunSpec,
  environment: Environment,
  hooks: RunHooks = {},
): Promise<RunRecord> {
  return (await trainRuns(data, config, [spec], environment, hooks))[0];
}

/**
 * Trains runs of one seed as a fused group and returns their records in `specs` order, each byte-identical (timing
 * aside) to the run trained alone. A run that diverges leaves the group; the others go on.
 */
export async function trainRuns(
  data: Dataset,
  config: SweepConfig,
  specs: readonly RunSpec[],
  environment: Environment,
  hooks: RunHooks = {},
): Promise<RunRecord[]> {
  if (specs.length === 0) return [];
  if (specs.some((s) => s.seed !== specs[0].seed))
    throw new Error(`a fused group shares one seed: got seeds ${[...new Set(specs.map((s) => s.seed))].join(', ')}`);
  const now = hooks.now ?? (() => performance.now());
  const record = hooks.record ?? true;
  const trainer = new Trainer(data, config, specs[0].seed, record, specs.length);
  const { ae, batch, stepsPerEpoch } = trainer;
  const totalSteps = stepsPerEpoch * config.epochs;
  const books = specs.map((spec) => new RunBook(config, spec, totalSteps, batch, hooks, now));
  /** the books still training, in the trainer's run order */
  let active = books.slice();
  const closeWindow = (i: number): void => active[i].addWindow(trainer.closeWindow(i));
  const windowOpen = (i: number): boolean => record && trainer.recorder(i).windowSteps > 0;

  try {
    for (let epoch = 0; epoch < config.epochs && active.length > 0; epoch++) {
      trainer.shuffle();
      const t0 = now();
      for (let s = 0; s < stepsPerEpoch && active.length > 0; s++) {
        if (hooks.cancelled?.()) throw new CancelledError(`run ${runId(active[0].spec)} cancelled`);
        const results = trainer.stepRuns(
          active.map((b) => b.nextLr()),
          s,
        );
        const ended: number[] = [];
        active.forEach((book, i) => {
          if (!book.stepped(results[i])) {
            ended.push(i);
            return;
          }
          if (
            record &&
            config.windowSteps !== null &&
            trainer.recorder(i).windowSteps === config.windowSteps &&
            !joinsLastWindow(book.step, totalSteps, config.windowSteps) // a short last window joins this one
          )
            closeWindow(i);
          book.reportProgress(epoch, results[i].loss, book.trainMs - t0);
        });
        if (ended.length > 0) {
          const t = now();
          for (const i of ended) {
            // a diverged run ends here: its open window and its last epoch (not evaluated), as when it trains alone
            active[i].trainMs += t - t0;
            if (windowOpen(i)) closeWindow(i);
            active[i].endEpoch(epoch, null, ae);
          }
          const kept = active.map((_, i) => i).filter((i) => !ended.includes(i));
          if (kept.length > 0) trainer.keepRuns(kept);
          active = kept.map((i) => active[i]);
        }
      }
      const elapsed = now() - t0;
      active.forEach((book, i) => {
        book.trainMs += elapsed;
        if (config.windowSteps === null && windowOpen(i)) closeWindow(i);
        book.endEpoch(epoch, evaluate(trainer.runNetwork(i), trainer.data, ae), ae);
      });
      await yieldToEventLoop();
    }
    active.forEach((book, i) => {
      if (windowOpen(i)) closeWindow(i);
      if (ae) book.reconstructions = reconstructSample(trainer.runNetwork(i), trainer.data);
    });
  } finally {
    trainer.dispose(); // frees the recorders' sums in the tfjs heap, the probe batch, optimizer state and the network
  }
  return books.map((b) =>
    b.toRecord(
      {
        parameterCount: trainer.net.paramCount,
        inputStats: trainer.net.inputStats,
        arithmetic: trainer.net.arithmetic,
      },
      ae,
      environment,
    ),
  );
}

/** Test-set loss and accuracy (classifier) or MSE and PSNR (autoencoder), in float64, summed example by example in order (so the chunk size leaves every bit). */
export function evaluate(
  net: Network,
  d: Dataset,
  ae: boolean,
  chunk = chunkExamples(net.plan, EVAL_CHUNK),
): TestResult {
  const features = featureCount(d);
  const count = d.testLabels.length;
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    const out = tf.tidy(() => {
      const z = net.forward(pixelBatch(d.testImages, features, null, start, size)).pop()!;
      return ae ? tf.sigmoid(z) : z;
    });
    const v = out.dataSync() as Float32Array;
    out.dispose();
    if (ae) {
      const first = start * features;
      for (let i = 0; i < v.length; i++) loss += (v[i] - Math.fround(d.testImages[first + i] * PIXEL_SCALE)) ** 2;
    } else {
      const ce = crossEntropySum(v, d.numClasses, d.testLabels, null, start, size, loss);
      loss = ce.sum;
      correct += ce.correct;
    }
  }
  if (ae) {
    const mse = loss / (count * features);
    return { loss: mse, accuracy: null, psnr: mse > 0 ? 10 * Math.log10(1 / mse) : Infinity };
  }
  return { loss: loss / count, accuracy: correct / count, psnr: null };
}

/** Lets progress messages and cancellation through between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
