/**
 * Tiny hand-made RunRecords for the analysis and report tests: one layer (dense1, 4 units), one window, the weights'
 * measures as given (the rest fixed), and the outcome as given. Records that lack the measures free of η's scale are
 * what fluctlab wrote before them.
 */
import { DEFAULTS } from '../../src/contract/configure.js';
import { SCHEMA_VERSION, type Environment, type RunRecord } from '../../src/contract/record.js';
import type { TensorFluctuation } from '../../src/contract/windowRecord.js';
import { BIN_SPEC, histogram } from '../../src/engine/recording/histogram.js';

/** The environment the engine tests give their runs (a record keeps it beside its deterministic part). */
export const TEST_ENVIRONMENT: Environment = {
  runtime: 'test',
  backend: 'wasm',
  simd: true,
  threads: 1,
  tfjsVersion: '4.22.0',
  fluctlabVersion: 'test',
};

/** A tensor's statistics: these values over fixed ones. */
export function tensorOf(values: Partial<TensorFluctuation> = {}): TensorFluctuation {
  return {
    meanAbs: 0.01,
    rms: 0.01,
    maxAbs: 0.02,
    neuronFluctuation: [0.01, 0.01, 0.01, 0.01],
    neuronSpread: [0, 0, 0, 0],
    spreadOfSpread: 0.001,
    spreadCv: 0.5,
    participating: 4,
    participationRatio: 1,
    effectiveNeurons: 4,
    histogram: histogram([0.01, -0.01]),
    ...values,
  };
}

/** A run at `lr` and `seed` with test accuracy `acc` and dense1's weights measured as `weights`. */
export function runRecord(lr: number, seed: number, acc: number, weights: Partial<TensorFluctuation> = {}): RunRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fluctlab.run',
    id: `lr${lr}-seed${seed}`,
    lr,
    seed,
    config: DEFAULTS,
    status: 'ok',
    divergedAtStep: null,
    error: null,
    task: 'classification',
    testAccuracy: acc,
    testLoss: 0.3,
    testPsnr: null,
    steps: 10,
    parameterCount: 20,
    epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, testLoss: 0.3, testAccuracy: acc, testPsnr: null }],
    bins: BIN_SPEC,
    windows: [
      {
        index: 0,
        startStep: 0,
        endStep: 10,
        trainLoss: 0.5,
        lr,
        lrMean: lr,
        layers: [{ layer: 'dense1', units: 4, weights: tensorOf(weights), biases: tensorOf(), deadUnits: 0 }],
      },
    ],
    environment: { runtime: 'test', backend: 'wasm', simd: true, threads: 1, tfjsVersion: '0', fluctlabVersion: '0' },
    timing: { trainSeconds: 1, samplesPerSecond: 1, finishedAt: '' },
  };
}
