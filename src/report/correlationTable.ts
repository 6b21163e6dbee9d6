/**
 * The report's correlation section: per measure and layer the raw Spearman ρ with the outcome beside what the measure
 * says beyond η (the partial ρ given log η and the within-η ρ across seeds, analysis/separation.ts), and the sentences
 * that claim only what those tests support (analysis/claims.ts).
 *
 *     const html = correlationSection(result); // a table, its note and the claims
 */
import { MEASURE_LABELS } from '../analysis/claims.js';
import type { MeasureCorrelation } from '../analysis/correlations.js';
import type { TestedCorrelation } from '../analysis/separation.js';
import type { SweepResult } from '../analysis/sweepResult.js';

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pText = (p: number): string => (p < 1e-4 ? p.toExponential(0) : p.toFixed(p < 0.01 ? 4 : 3));

/** One ρ with its p, bold (class sig) where p < 0.05; – where it could not be computed. */
function rhoCell(t: Pick<TestedCorrelation, 'rho' | 'p'> | undefined, first: boolean): string {
  const cls = first ? ' class="first"' : '';
  if (!t || t.rho === null || t.p === null) return `<td${cls}>–</td>`;
  const sig = t.p < 0.05 ? ' sig' : '';
  return `<td class="${first ? 'first' : ''}${sig}">${t.rho.toFixed(2)} <span class="p">(p ${pText(t.p)})</span></td>`;
}

/** The correlations of each measure with the outcome: one row per measure; per layer raw, partial and within-η ρ. */
export function correlationSection(result: SweepResult): string {
  const cs = result.aggregate.correlations;
  if (cs.length === 0) return '<p class="note">No correlations: fewer than three runs ended ok.</p>';
  const layers = [...new Set(cs.map((c) => c.layer))];
  const measures = [...new Set(cs.map((c) => `${c.tensor}.${c.measure}`))];
  const at = (l: string, m: string) => cs.find((c) => c.layer === l && `${c.tensor}.${c.measure}` === m);
  const cells = (c: MeasureCorrelation | undefined) =>
    rhoCell(c, true) + rhoCell(c?.partial, false) + rhoCell(c?.withinLr, false);
  const rows = measures.map(
    (m) =>
      `<tr><td class="l">${escapeHtml(MEASURE_LABELS[m] ?? m)}</td>${layers.map((l) => cells(at(l, m))).join('')}</tr>`,
  );
  const head = `<tr><th class="l" rowspan="2">measure</th>${layers.map((l) => `<th colspan="3" class="first">${escapeHtml(l)}</th>`).join('')}</tr>
<tr>${layers.map(() => '<th class="first">raw ρ</th><th>partial ρ</th><th>within-η ρ</th>').join('')}</tr>`;
  const ns = [...new Set(cs.map((c) => c.n))];
  const method = cs[0].method === 'exact-permutation' ? 'exact permutation test' : 't-approximation';
  const groups = Math.max(0, ...cs.map((c) => c.withinLr?.groups ?? 0));
  return `<div class="tablewrap"><table>${head}${rows.join('\n')}</table></div>
<p class="note">Spearman ρ over ${ns.length === 1 ? ns[0] : `${Math.min(...ns)}–${Math.max(...ns)}`} runs (raw: two-sided p from the ${method}); partial ρ: given log η, p from t with n − 3 df; within-η ρ: across the seeds of each learning rate with 3 or more ok seeds (${groups === 0 ? 'none here: run --seeds 3 or more' : `${groups} here`}), pooled; – where a test cannot be made.</p>
${claimList(cs)}`;
}

/** The sentences: every claim a test supports (and too few runs), then the measures with no association beyond η in one line. */
function claimList(cs: readonly MeasureCorrelation[]): string {
  const none = cs.filter((c) => c.claim?.startsWith('No association beyond η'));
  // a constant measure shows – in the table; its sentence says nothing more
  const said = cs.filter((c) => c.claim && !none.includes(c) && !c.claim.endsWith('nothing to correlate.'));
  const items = said.map((c) => `<li>${escapeHtml(c.claim!)}</li>`);
  if (none.length > 0) {
    const names = none.map((c) => `${c.layer} ${MEASURE_LABELS[`${c.tensor}.${c.measure}`] ?? c.measure}`);
    items.push(
      `<li>No association beyond η for ${escapeHtml(names.join(', '))} (neither the partial nor the within-η test has p &lt; 0.05).</li>`,
    );
  }
  return items.length ? `<ul class="claims">${items.join('\n')}</ul>` : '';
}
