/**
 * One plain sentence per measure and layer that claims only what its test supports (issue 25): "at fixed η" only when
 * the within-η correlation is significant, "beyond η" only when the partial correlation on log η is, a size only when
 * the regression's 95% interval leaves out 0, and otherwise "no association beyond η". Each test is at 5%, not
 * corrected for the number of measures.
 *
 *     claimSentence(c, 'test accuracy', 'testAccuracy')
 *     // "At fixed η, runs with higher dense1 participation ratio PR than their siblings ended better (within-η ρ = 0.71,
 *     //  p = 0.004; 16 runs at 4 learning rates); one spread of it at fixed η (0.05) went with +0.40 pp (95% interval
 *     //  0.10 to 0.70)."
 */
import type { MeasureCoefficient, TestedCorrelation } from './separation.js';

/** What a sentence is about: one measure of one layer, its raw ρ and the three tests. */
export interface ClaimInput {
  layer: string;
  tensor: 'weights' | 'biases';
  measure: string;
  rho: number | null;
  p: number | null;
  n: number;
  partial: TestedCorrelation;
  withinLr: TestedCorrelation & { groups: number };
  regression: MeasureCoefficient | null;
}

/** The names a report gives the correlated measures, by `tensor.measure`. */
export const MEASURE_LABELS: Record<string, string> = {
  'weights.rms': 'RMS Δ of weights',
  'biases.rms': 'RMS Δ of biases',
  'weights.effectiveRms': 'effective step RMS Δ/η of weights',
  'weights.updateRatio': 'update-to-weight ratio ‖Δ‖/‖W‖',
  'weights.participating': 'participating neurons',
  'weights.participationRatio': 'participation ratio PR',
  'weights.spreadOfSpread': 'spread of the spread S',
  'weights.spreadCv': 'S / mean s_j',
  'weights.deadUnits': 'dead units',
};

/** The significance level of every test. */
export const ALPHA = 0.05;

/** A number with two significant digits, exponent form when tiny or huge. */
function fmt(x: number): string {
  const a = Math.abs(x);
  if (a === 0) return '0';
  return a >= 1e-3 && a < 1e5 ? Number(x.toPrecision(2)).toString() : x.toExponential(1).replace('e+', 'e');
}

const pText = (p: number): string => (p < 1e-4 ? '< 0.0001' : `= ${p.toFixed(p < 0.01 ? 4 : 3)}`);
const significant = (t: TestedCorrelation): boolean => t.rho !== null && t.p !== null && t.p < ALPHA;

/** The outcome change of a coefficient × the measure's spread at fixed η, in the outcome's units (pp for accuracy). */
function sizeText(r: MeasureCoefficient, field: 'testAccuracy' | 'testPsnr'): string {
  const scale = field === 'testAccuracy' ? 100 : 1;
  const unit = field === 'testAccuracy' ? ' pp' : ' dB';
  const [c, lo, hi] = [r.coef, r.lo, r.hi].map((v) => v * r.sd * scale);
  return `a run ${fmt(r.sd)} higher (one spread at fixed η) ended ${c > 0 ? '+' : ''}${fmt(c)}${unit} (95% interval ${fmt(lo)} to ${fmt(hi)})`;
}

/** The sentence for one measure of one layer; `outcome` is the outcome's label ("test accuracy"). */
export function claimSentence(c: ClaimInput, outcome: string, field: 'testAccuracy' | 'testPsnr'): string {
  const name = `${c.layer} ${MEASURE_LABELS[`${c.tensor}.${c.measure}`] ?? `${c.tensor} ${c.measure}`}`;
  const sized = c.regression && (c.regression.lo > 0 || c.regression.hi < 0) ? c.regression : null;
  const size = sized ? `; ${sizeText(sized, field)}` : '';
  const w = c.withinLr;
  if (significant(w)) {
    const better = w.rho! > 0 ? 'better' : 'worse';
    return `At fixed η, runs with higher ${name} than their siblings ended ${better} (within-η ρ = ${w.rho!.toFixed(2)}, p ${pText(w.p!)}; ${w.n} runs at ${w.groups} learning rate${w.groups === 1 ? '' : 's'})${size}.`;
  }
  const q = c.partial;
  if (significant(q)) {
    const higher = q.rho! > 0 ? 'higher' : 'lower';
    return `Beyond η, higher ${name} went with ${higher} ${outcome} (partial ρ on log η = ${q.rho!.toFixed(2)}, p ${pText(q.p!)}, ${q.n} runs)${size}; no test at fixed η supports it${w.rho === null ? ' (fewer than 3 seeds at every η)' : ''}.`;
  }
  // a size alone is a claim only when η was held fixed per learning rate (a line in log η can be bent by the measure)
  if (sized?.control === 'lr-groups')
    return `At fixed η, ${name}: ${sizeText(sized, field)} (least squares with one mean per learning rate); the rank tests beyond η do not support it.`;
  if (c.rho === null && c.n >= 3) return `${name} is the same in every run: nothing to correlate.`;
  if (q.rho === null && w.rho === null) {
    if (q.n >= 4 && c.rho !== null)
      return `${name} is ordered as η itself: nothing is left to test beyond η (raw ρ = ${c.rho.toFixed(2)}).`;
    return `Too few runs to separate ${name} from η.`;
  }
  const tests = [
    q.rho !== null ? `partial ρ = ${q.rho.toFixed(2)}, p ${pText(q.p!)}` : null,
    w.rho !== null ? `within-η ρ = ${w.rho.toFixed(2)}, p ${pText(w.p!)}` : null,
  ].filter((t) => t !== null);
  const raw = c.rho !== null && c.p !== null && c.p < ALPHA ? `; its raw ρ = ${c.rho.toFixed(2)} follows η` : '';
  return `No association beyond η for ${name} (${tests.join('; ')})${raw}.`;
}
