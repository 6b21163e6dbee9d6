/**
 * The reproduction's findings in words, generated from the numbers: which of
 * the paper's two claims the run supports, what equal progress says about
 * "worse" versus "slower", and how the MNIST arm compares. Plain text (the
 * HTML report, the terminal and the README all use it).
 *
 *     claimsParagraph(analysis, paperClaims(analysis))
 */
import type { LrStudy, StudyAnalysis } from './paperAnalysis.js';
import type { ClaimVerdict, Comparison, EqualProgress, PaperClaims } from './paperClaims.js';
import type { Interval } from '../../analysis/stats.js';
import {
  clippedRange,
  countOf,
  FRACTION,
  lrLabel,
  meanPm,
  NO_VALUE,
  NONNEGATIVE,
  num,
  percent,
  type Bounds,
} from '../../report/format.js';

/**
 * "0.0123 ± 0.00041" (mean to `digits` significant digits ± 95% half-width to two; the mean alone for one seed); where
 * the ± would leave what the quantity can take (`bounds`), the interval clipped to them as a range: "28.5 (0–72)" for
 * 28.5 ± 95 of 72 units.
 */
export function pm(iv: Interval | null, digits = 3, bounds: Bounds = {}): string {
  if (!iv) return NO_VALUE;
  if (iv.n < 2) return num(iv.mean, digits);
  const range = clippedRange(iv, bounds);
  return range
    ? `${num(iv.mean, digits)} (${num(range[0], digits)}–${num(range[1], digits)})`
    : `${num(iv.mean, digits)} ± ${num((iv.hi - iv.lo) / 2, 2)}`;
}

/** A count of hidden units out of `units`, its interval clipped to 0–units. */
export const pmUnits = (iv: Interval | null, units: number): string => pm(iv, 3, countOf(units));

/** An accuracy as a percentage, its interval clipped to 0–100%. */
export const pmAccuracy = (iv: Interval | null, decimals = 1): string =>
  meanPm(iv, (x) => percent(x, decimals), FRACTION);

/** The outcome of a learning rate in words: "MSE 0.0123 ± 0.0004" or "accuracy 97.1% ± 0.2%". */
export function outcomeWords(s: LrStudy): string {
  return s.task === 'classification' ? `accuracy ${pmAccuracy(s.accuracy)}` : `MSE ${pm(s.mse, 3, NONNEGATIVE)}`;
}

function seedsOf(a: StudyAnalysis): number {
  return Math.max(...a.lrs.map((s) => s.ok));
}

/** How firmly a claim stands, as a clause. */
function firmness(v: ClaimVerdict, seeds: number): string {
  if (v.holds === null)
    return 'undecided (a number is missing: runs failed, or the records predate activation recording)';
  if (!v.holds) {
    const failed = Object.entries(v.parts)
      .filter(([, p]) => p.holds === false)
      .map(([k]) => k);
    return `not supported (fails: ${failed.join('; ')})`;
  }
  if (seeds < 2) return 'supported by the means of a single seed (no interval: run more seeds for a firmer answer)';
  if (v.separated) return `supported, with separated 95% intervals over ${seeds} seeds`;
  const weak = Object.entries(v.parts)
    .filter(([, p]: [string, Comparison]) => !p.separated)
    .map(([k]) => k);
  return `supported by the means, but the 95% intervals over ${seeds} seeds overlap for: ${weak.join('; ')}`;
}

/** One paragraph: both claims, their verdicts and the numbers behind them. */
export function claimsParagraph(a: StudyAnalysis, c: PaperClaims): string {
  const by = (lr: number) => a.lrs.find((s) => s.lr === lr)!;
  const high = by(c.high);
  const low = by(c.low);
  const others = a.lrs.filter((s) => s.lr !== c.high);
  const seeds = seedsOf(a);
  const better = a.task === 'classification' ? 'the highest test accuracy' : 'the lowest test reconstruction MSE';
  const hu = Math.max(0, ...a.lrs.map((s) => s.hiddenUnits));
  const what = a.task === 'classification' ? 'classifies' : 'reconstructs';
  const best = others.every((s) => c.claim1.parts[`better than ${s.lr}`]?.holds);
  return [
    `Claim 1 (η = ${lrLabel(c.high)} ${what} best but leaves many neurons nearly inactive) is ${firmness(c.claim1, seeds)}:`,
    `η = ${lrLabel(c.high)} reached ${outcomeWords(high)} (${others.map((s) => `${outcomeWords(s)} at ${lrLabel(s.lr)}`).join(', ')}:`,
    `${best ? '' : 'not '}${better} of the ${a.lrs.length}) and left ${pmUnits(high.inactive, hu)} of ${hu} hidden units nearly inactive`,
    `(mean probe activation below τ = ${a.tau} of its layer's mean; ${pmUnits(high.dead, hu)} of them dead), against ${pmUnits(low.inactive, hu)} at ${lrLabel(c.low)}.`,
    `Claim 2 (η = ${lrLabel(c.low)} engages more neurons but ${what} worse within the same ${low.epochs} epochs) is ${firmness(c.claim2, seeds)}:`,
    `${pmUnits(low.active, hu)} active units against ${pmUnits(high.active, hu)} at ${lrLabel(c.high)}, with ${outcomeWords(low)} against ${outcomeWords(high)}.`,
    `By weight fluctuation instead of activation, ${pmUnits(low.participating, hu)} units participate at ${lrLabel(c.low)} and ${pmUnits(high.participating, hu)} at ${lrLabel(c.high)}`,
    `(effective neurons N·PR: ${pmUnits(low.effectiveNeurons, hu)} and ${pmUnits(high.effectiveNeurons, hu)}).`,
  ].join(' ');
}

/**
 * One paragraph on the fluctuation measured free of η's scale (null for records without the η-free measures): how
 * much of the larger rate's larger RMS Δ is η itself, the effective step RMS Δ/η and the update-to-weight ratio at the
 * largest and the smallest rate, and why the neuron counts behind both claims stand either way (participation is
 * relative to each layer's mean fluctuation, activity is measured on activations).
 */
export function etaFreeParagraph(a: StudyAnalysis, c: PaperClaims): string | null {
  const by = (lr: number) => a.lrs.find((s) => s.lr === lr)!;
  const high = by(c.high);
  const low = by(c.low);
  if (!high.effectiveRms || !low.effectiveRms || !high.meanFluctuation || !low.meanFluctuation) return null;
  const times = (x: number, y: number) => `${num(x / y, 2)}×`;
  const [h, l] = [high.effectiveRms, low.effectiveRms];
  const overlap = h.n > 1 && l.n > 1 && h.lo <= l.hi && l.lo <= h.hi;
  const steps = overlap
    ? "per unit of η both rates move their weights alike (the 95% intervals overlap): the larger rate's larger fluctuation is η's scale"
    : h.mean < l.mean
      ? "per unit of η the larger rate moves its weights less: its larger fluctuation is η's scale, not more motion per unit of rate"
      : `per unit of η the larger rate still moves its weights ${times(h.mean, l.mean)} as far, so its larger fluctuation is more than η's scale`;
  const ratio =
    high.updateRatio && low.updateRatio
      ? `; the update-to-weight ratio ‖Δ‖/‖W‖ is ${pm(high.updateRatio, 3, NONNEGATIVE)} against ${pm(low.updateRatio, 3, NONNEGATIVE)}`
      : '';
  return [
    `Measured without η's scale: the mean fluctuation f (an RMS Δ) is ${times(high.meanFluctuation.mean, low.meanFluctuation.mean)} larger at η = ${lrLabel(c.high)} than at ${lrLabel(c.low)}, whose η is ${times(c.high, c.low)} smaller.`,
    `Divided by the η in force at each step, the weights' effective step RMS Δ/η is ${pm(high.effectiveRms, 3, NONNEGATIVE)} at ${lrLabel(c.high)} against ${pm(low.effectiveRms, 3, NONNEGATIVE)} at ${lrLabel(c.low)} (${times(high.effectiveRms.mean, low.effectiveRms.mean)})${ratio}: ${steps}.`,
    `Neither claim rests on that scale: participating neurons count f_j against τ times their own layer's mean, which no common factor changes, and active and dead neurons are read from activations, so both verdicts above stand as measured.`,
  ].join(' ');
}

/** One paragraph on the equal-progress arm: is the small learning rate worse, or only slower? */
export function equalProgressParagraph(ep: EqualProgress, task: StudyAnalysis['task']): string {
  const rows = [...ep.rows].sort((x, y) => y.lr - x.lr);
  const high = rows[0];
  const low = rows[rows.length - 1];
  const f = (iv: Interval | null) => (task === 'classification' ? pmAccuracy(iv) : pm(iv, 3, NONNEGATIVE));
  const measure = task === 'classification' ? 'accuracy' : 'MSE';
  const verdict =
    ep.lowCatchesUp === null
      ? 'cannot be decided (a number is missing)'
      : ep.lowCatchesUp
        ? `η = ${lrLabel(low.lr)} does as well or better: what it lacks within a fixed number of epochs is speed, not the quality it can reach`
        : ep.lowClearlyWorse
          ? `η = ${lrLabel(low.lr)} is still clearly worse: its deficit is not only slowness`
          : `η = ${lrLabel(low.lr)} is slightly worse by the means, but within the seed-to-seed intervals: mostly slower, not clearly worse`;
  const reach = rows
    .map(
      (r) =>
        `${lrLabel(r.lr)}: ${r.epochsToTarget === null ? 'not reached' : `epoch ${r.epochsToTarget} (η×steps ${num(r.lrStepsToTarget)})`}`,
    )
    .join(', ');
  return [
    `Equal progress: each learning rate trained for the same η × steps (${rows.map((r) => `${lrLabel(r.lr)}: ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}`).join(', ')}).`,
    `There, η = ${lrLabel(high.lr)} reached ${measure} ${f(high.outcome)} and η = ${lrLabel(low.lr)} ${f(low.outcome)}, so ${verdict}.`,
    `Test loss ${num(ep.targetLoss)} (1.1 × the largest rate's final loss unless --target-loss is given) was first reached at ${reach}.`,
  ].join(' ');
}

/** One paragraph comparing the shapes study with the MNIST arm's verdicts. */
export function mnistParagraph(shapes: PaperClaims, mnist: PaperClaims, m: StudyAnalysis): string {
  const word = (v: ClaimVerdict) => (v.holds === null ? 'cannot be checked' : v.holds ? 'holds' : 'does not hold');
  const low = m.lrs.find((s) => s.lr === mnist.low)!;
  const high = m.lrs.find((s) => s.lr === mnist.high)!;
  return [
    `On MNIST classification (${m.lrs.map((s) => `${lrLabel(s.lr)}: ${outcomeWords(s)}`).join(', ')}), claim 1 ${word(mnist.claim1)} and claim 2 ${word(mnist.claim2)}`,
    `(on the shapes: claim 1 ${word(shapes.claim1)}, claim 2 ${word(shapes.claim2)}).`,
    `Active hidden units: ${pmUnits(high.active, high.hiddenUnits)} at ${lrLabel(high.lr)} and ${pmUnits(low.active, low.hiddenUnits)} at ${lrLabel(low.lr)} of ${high.hiddenUnits}.`,
  ].join(' ');
}
