/**
 * Which of the paper's two claims a study's numbers support, and the
 * equal-progress reading that tells "worse" from "slower". Pure; the report
 * turns the verdicts into a paragraph.
 *
 *   Claim 1: the largest learning rate gives the best outcome (lowest
 *            reconstruction MSE, or highest accuracy) but leaves more neurons
 *            nearly inactive than the smallest.
 *   Claim 2: the smallest learning rate engages more neurons (more active
 *            units) but reaches a worse outcome within the same training window.
 *
 * A part "holds" when the means compare as stated; it is "separated" when the
 * 95% intervals over seeds do not overlap either (with one seed an interval is
 * a point, so separation means only that the means differ).
 */
import type { LrStudy, StudyAnalysis } from './paperAnalysis.js';
import type { Interval } from '../../analysis/stats.js';

/** One comparison a claim rests on: is `a` above `b`? */
export interface Comparison {
  a: Interval | null;
  b: Interval | null;
  /** a.mean > b.mean; null when either is missing */
  holds: boolean | null;
  /** a.lo > b.hi */
  separated: boolean;
}

/** A claim's verdict. */
export interface ClaimVerdict {
  /** every part holds (null when a number is missing) */
  holds: boolean | null;
  /** every part holds with separated intervals */
  separated: boolean;
  parts: Record<string, Comparison>;
}

/** The verdicts for a study, naming the learning rates compared. */
export interface PaperClaims {
  task: StudyAnalysis['task'];
  high: number;
  low: number;
  claim1: ClaimVerdict;
  claim2: ClaimVerdict;
}

/** Compares a above b. */
export function above(a: Interval | null, b: Interval | null): Comparison {
  if (!a || !b) return { a, b, holds: null, separated: false };
  return { a, b, holds: a.mean > b.mean, separated: a.mean > b.mean && a.lo > b.hi };
}

/** The outcome as "goodness", so that above() means better: −MSE, or accuracy. */
export function goodness(s: LrStudy): Interval | null {
  if (s.task === 'classification') return s.accuracy;
  const m = s.mse;
  return m ? { mean: -m.mean, lo: -m.hi, hi: -m.lo, n: m.n } : null;
}

function verdict(parts: Record<string, Comparison>): ClaimVerdict {
  const list = Object.values(parts);
  const holds = list.some((p) => p.holds === null) ? null : list.every((p) => p.holds);
  return { holds, separated: holds === true && list.every((p) => p.separated), parts };
}

/** Checks both claims on a study with at least two learning rates. */
export function paperClaims(a: StudyAnalysis): PaperClaims {
  const sorted = [...a.lrs].sort((x, y) => y.lr - x.lr);
  const high = sorted[0];
  const low = sorted[sorted.length - 1];
  const bestParts: Record<string, Comparison> = {};
  for (const other of sorted.slice(1)) bestParts[`better than ${other.lr}`] = above(goodness(high), goodness(other));
  return {
    task: a.task,
    high: high.lr,
    low: low.lr,
    claim1: verdict({ ...bestParts, 'more nearly inactive neurons': above(high.inactive, low.inactive) }),
    claim2: verdict({
      'more active neurons': above(low.active, high.active),
      'worse outcome': above(goodness(high), goodness(low)),
    }),
  };
}

/** One learning rate of the equal-progress arm. */
export interface EqualProgressRow {
  lr: number;
  epochs: number;
  steps: number;
  /** η × steps: the progress budget, equal for every learning rate up to rounding of epochs */
  lrSteps: number;
  outcome: Interval | null;
  active: Interval | null;
  participating: Interval | null;
  /** first epoch whose mean test loss is ≤ the target; null when never reached */
  epochsToTarget: number | null;
  lrStepsToTarget: number | null;
}

/** The equal-progress reading. */
export interface EqualProgress {
  targetLoss: number;
  rows: EqualProgressRow[];
  /** does the smallest learning rate, given equal progress, reach an outcome at least as good as the largest? */
  lowCatchesUp: boolean | null;
  /** its outcome is clearly worse (intervals separated) */
  lowClearlyWorse: boolean;
}

/**
 * Equal progress from each learning rate's study (trained epochs·η_min/η epochs).
 * The default target is 1.1 × the largest learning rate's final mean test loss
 * there: the loss it reaches in its budget, with a 10% margin.
 */
export function equalProgress(studies: LrStudy[], targetLoss: number | null): EqualProgress {
  const sorted = [...studies].sort((x, y) => y.lr - x.lr);
  const high = sorted[0];
  const low = sorted[sorted.length - 1];
  const final = (s: LrStudy) => s.lossCurve[s.lossCurve.length - 1]?.mean ?? NaN;
  const target = targetLoss ?? 1.1 * final(high);
  const rows = sorted.map((s): EqualProgressRow => {
    const hit = s.lossCurve.find((p) => p.mean <= target);
    const stepsPerEpoch = s.epochs > 0 ? s.steps / s.epochs : 0;
    return {
      lr: s.lr,
      epochs: s.epochs,
      steps: s.steps,
      lrSteps: s.lr * s.steps,
      outcome: s.task === 'classification' ? s.accuracy : s.mse,
      active: s.active,
      participating: s.participating,
      epochsToTarget: hit ? hit.epoch : null,
      lrStepsToTarget: hit ? s.lr * stepsPerEpoch * hit.epoch : null,
    };
  });
  const c = above(goodness(high), goodness(low));
  return { targetLoss: target, rows, lowCatchesUp: c.holds === null ? null : !c.holds, lowClearlyWorse: c.separated };
}
