/**
 * The bias-corrected exponential moving average of the training loss that an
 * LR range test (Smith 2017; fastai, pytorch-lr-finder) watches, shared by the
 * explosion rule of a run and by `lr-find`:
 *
 *     a_k = β a_{k−1} + (1 − β) loss_k,   a_0 = 0,   smoothed_k = a_k / (1 − β^k)
 *
 * The correction makes smoothed_1 = loss_1, so early values are not pulled
 * towards zero.
 *
 *     const s = new SmoothedLoss();
 *     s.add(2.3); // 2.3
 */

import { detPow } from '../detMath.js';

/** The smoothing factor of fastai's and pytorch-lr-finder's range tests. */
export const LOSS_SMOOTHING = 0.98;

/** Running smoothed loss. */
export class SmoothedLoss {
  private avg = 0;
  private count = 0;
  /** The first loss added (the run's initial loss). */
  first = NaN;

  constructor(readonly beta = LOSS_SMOOTHING) {}

  /** Adds one step's loss and returns the smoothed value. */
  add(loss: number): number {
    if (this.count === 0) this.first = loss;
    this.count++;
    this.avg = this.beta * this.avg + (1 - this.beta) * loss;
    return this.avg / (1 - detPow(this.beta, this.count));
  }
}

/**
 * The explosion rule: true once the smoothed loss exceeds `factor` × the initial loss. A loss that only drifts
 * cannot trigger it early, because smoothing needs several bad steps in a row; an exploding run (loss growing by
 * orders of magnitude) triggers it within a few steps of the blow-up.
 */
export function exploded(smoothed: number, initial: number, factor: number): boolean {
  return smoothed > factor * initial;
}
