/**
 * The progress events of a run, in a module of its own: they are public (fluctlab exports them), and their declarations
 * must not pull the training loop's types (and with them TensorFlow.js's) into a user's type check.
 */
import type { WindowRecord } from '../../contract/windowRecord.js';

/** Live progress of a run, sent at most every `progressMs`. */
export interface RunProgress {
  id: string;
  lr: number;
  seed: number;
  step: number;
  totalSteps: number;
  epoch: number;
  /** mean training loss over the steps since the previous progress event */
  loss: number;
  samplesPerSecond: number;
  /** estimated seconds to the end of the run */
  etaSeconds: number;
  /** latest window's mean weight RMS Δ over layers, when a window closed since the last event */
  fluctuation: number | null;
}

/** A recording window of a run as it closes: the same WindowRecord its RunRecord will hold, at that index. */
export interface RunWindow {
  /** the run's id (runId) */
  id: string;
  /** the window's index in the run's windows */
  index: number;
  window: WindowRecord;
}
