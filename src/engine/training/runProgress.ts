/**
 * The progress event of a run, in a module of its own: it is public (fluctlab exports it), and its declaration must not
 * pull the training loop's types (and with them TensorFlow.js's) into a user's type check.
 */

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
