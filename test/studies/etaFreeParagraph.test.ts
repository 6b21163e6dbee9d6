import { describe, expect, it } from 'vitest';
import type { Interval } from '../../src/analysis/stats.js';
import type { StudyAnalysis } from '../../src/studies/paper/paperAnalysis.js';
import type { PaperClaims } from '../../src/studies/paper/paperClaims.js';
import { etaFreeParagraph } from '../../src/studies/paper/paperText.js';

const iv = (mean: number, half: number, n = 3): Interval => ({ mean, lo: mean - half, hi: mean + half, n });

/** The default study's numbers (docs/paper.md): f 88× larger at 0.01 for 100× the η, Δ/η 0.136 ± 0.12 against 0.143 ± 0.036. */
function study(effHigh: Interval | null, effLow: Interval | null): StudyAnalysis {
  const lr = (lr: number, f: number, eff: Interval | null, ratio: Interval) => ({
    lr,
    meanFluctuation: iv(f, f / 2),
    effectiveRms: eff,
    updateRatio: ratio,
  });
  return {
    task: 'reconstruction',
    tau: 0.1,
    lrs: [lr(0.01, 0.00118, effHigh, iv(0.00454, 0.004)), lr(0.0001, 1.34e-5, effLow, iv(1.47e-4, 3.1e-5))],
  } as unknown as StudyAnalysis;
}
const claims = { high: 0.01, low: 0.0001 } as PaperClaims;

describe("the paragraph on fluctuation without η's scale", () => {
  it('says how much of the larger RMS Δ is η, and that overlapping Δ/η means the rates move alike per unit of η', () => {
    const p = etaFreeParagraph(study(iv(0.136, 0.12), iv(0.143, 0.036)), claims)!;
    expect(p).toContain(
      'the mean fluctuation f (an RMS Δ) is 88× larger at η = 0.01 than at 1e-4, whose η is 100× smaller',
    );
    expect(p).toContain('effective step RMS Δ/η is 0.136 ± 0.12 at 0.01 against 0.143 ± 0.036 at 1e-4 (0.95×)');
    expect(p).toContain('‖Δ‖/‖W‖ is 0.00454 ± 0.004 against 1.47e-4 ± 3.1e-5');
    expect(p).toContain('per unit of η both rates move their weights alike (the 95% intervals overlap)');
  });

  it('says which rate moves more per unit of η when the intervals are apart, and clips a count-free size at 0', () => {
    expect(etaFreeParagraph(study(iv(0.05, 0.01), iv(0.2, 0.02)), claims)).toContain(
      'per unit of η the larger rate moves its weights less',
    );
    expect(etaFreeParagraph(study(iv(0.6, 0.05), iv(0.2, 0.02)), claims)).toContain(
      'per unit of η the larger rate still moves its weights 3× as far, so its larger fluctuation is more than η',
    );
    expect(etaFreeParagraph(study(iv(0.3, 0.45), iv(0.6, 0.08)), claims)).toContain('Δ/η is 0.3 (0–0.75) at 0.01');
  });

  it('is left out for records without the η-free measures', () => {
    expect(etaFreeParagraph(study(null, null), claims)).toBeNull();
  });
});
