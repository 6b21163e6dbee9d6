/**
 * What a recorded `fit` leaves besides Δ's windows: per epoch the losses and accuracies tfjs logs (the training
 * metrics and, with validation data, `val_` ones, which the record keeps as its test columns), per window the mean
 * batch loss and the learning rates in force, and how the run ended. Turned into a RunRecord by `toRunRecord`: the
 * same schema as fluctlab's own runs, so the report, the exports and merge read it as any other.
 */
import { runId, type SweepConfig } from '../contract/config.js';
import { type Environment, type EpochRecord, type RunRecord, SCHEMA_VERSION } from '../contract/record.js';
import type { WindowRecord } from '../contract/windowRecord.js';
import { BIN_SPEC } from '../engine/recording/histogram.js';

/** A log value from tfjs: a number, or a scalar tensor in a Callback's batch logs. */
export type LogValue = number | { dataSync(): ArrayLike<number> };

/** A log's value as a number (null when absent). */
export function logNumber(logs: Record<string, unknown> | undefined, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = logs?.[k] as LogValue | undefined;
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && 'dataSync' in v) return v.dataSync()[0];
  }
  return null;
}

/** The running log of one recorded model. */
export class RunLog {
  readonly epochs: EpochRecord[] = [];
  readonly windows: WindowRecord[] = [];
  step = 0;
  divergedAtStep: number | null = null;
  trainMs = 0;
  examples = 0;
  private windowLoss = 0;
  private windowLossSteps = 0;
  private windowLrSum = 0;
  private lr = 0;

  /** Notes a finished step's loss (null when tfjs logged none) and learning rate; false when the loss is not finite. */
  stepped(loss: number | null, lr: number, examples: number): boolean {
    this.step++;
    this.examples += examples;
    this.lr = lr;
    this.windowLrSum += lr;
    if (loss === null) return true;
    this.windowLoss += loss;
    this.windowLossSteps++;
    return Number.isFinite(loss);
  }

  /** Adds a closed window with its steps' mean loss and learning rates. */
  addWindow(w: WindowRecord): void {
    w.trainLoss = this.windowLossSteps > 0 ? this.windowLoss / this.windowLossSteps : null;
    w.lr = this.lr;
    w.lrMean = this.windowLrSum / Math.max(1, w.endStep - w.startStep);
    this.windowLoss = 0;
    this.windowLossSteps = 0;
    this.windowLrSum = 0;
    this.windows.push(w);
  }

  /** Adds an epoch from tfjs's epoch logs (`val_` metrics become the test columns). */
  endEpoch(epoch: number, logs: Record<string, unknown> | undefined): void {
    this.epochs.push({
      epoch: epoch + 1,
      endStep: this.step,
      trainLoss: logNumber(logs, 'loss'),
      trainAccuracy: logNumber(logs, 'acc', 'accuracy'),
      testLoss: logNumber(logs, 'val_loss'),
      testAccuracy: logNumber(logs, 'val_acc', 'val_accuracy'),
      testPsnr: null,
    });
  }
}

/** The record of a recorded model: `config` describes it (`UserLabel`s for what fluctlab did not build). */
export function toRunRecord(
  log: RunLog,
  spec: { lr: number; seed: number },
  config: SweepConfig,
  parameterCount: number,
  environment: Environment,
): RunRecord {
  const last = log.epochs.at(-1);
  const seconds = log.trainMs / 1000;
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fluctlab.run',
    id: runId(spec),
    lr: spec.lr,
    seed: spec.seed,
    config,
    status: log.divergedAtStep === null ? 'ok' : 'diverged',
    divergedAtStep: log.divergedAtStep,
    divergedBy: log.divergedAtStep === null ? null : 'non-finite',
    error: null,
    task: 'classification',
    testAccuracy: last?.testAccuracy ?? null,
    testLoss: last?.testLoss ?? null,
    testPsnr: null,
    steps: log.step,
    parameterCount,
    modelLayers: null,
    inputStats: null,
    // tfjs-layers' products are tfjs-wasm's own (a multiply, then an add), as the config's arithmetic says
    arithmetic: 'exact',
    epochs: log.epochs,
    bins: BIN_SPEC,
    windows: log.windows,
    environment,
    timing: {
      trainSeconds: seconds,
      samplesPerSecond: seconds > 0 ? log.examples / seconds : 0,
      finishedAt: new Date().toISOString(),
    },
  };
}
