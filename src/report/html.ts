/**
 * report.html: one self-contained page (inline CSS, inline SVG figures, no
 * script, no network) built from a SweepResult and its rendered charts. Pure
 * string building, so it can run anywhere; the Node shell writes the file.
 *
 *     const html = reportHtml({ result, figures, generatedAt: new Date().toISOString() });
 */
import type { Interval } from '../analysis/stats.js';
import type { SweepResult } from '../analysis/sweepResult.js';
import type { LayerAggregate } from '../analysis/aggregate.js';
import { correlationSection } from './correlationTable.js';
import { countOf, FRACTION, lrLabel, meanPm, NONNEGATIVE, percent } from './format.js';
import { outcomeBounds, outcomeFormat, outcomeTable } from './outcome.js';

/** A rendered chart: its id (figures/<id>.svg and .png), title, caption and SVG text. */
export interface RenderedFigure {
  id: string;
  title: string;
  caption: string;
  svg: string;
}

/** What the page shows. */
export interface ReportInput {
  result: SweepResult;
  figures: RenderedFigure[];
  generatedAt: string;
  fluctlabVersion: string;
  /** how the runs' products added ("fma", "exact"; contract/recordArithmetic.ts), when known */
  arithmetic?: string | null;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** An SVG ready to inline: XML prolog dropped, ids prefixed (escaped) so several SVGs in one page cannot collide. */
export function inlineSvg(svg: string, prefix: string): string {
  const p = escapeHtml(prefix);
  // replacer functions: a `$` in the prefix is text, not a back-reference
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${p}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${p}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${p}-${id}"`)
    .replace(/^<svg /, () => `<svg role="img" aria-labelledby="${p}-title" `);
}

/** The page style, shared with the reproduction report (paperHtml.ts). */
export const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; color: #1d1d1f; background: #fff; margin: 0; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 64px; }
h1 { font-size: 26px; font-weight: 600; margin: 0 0 4px; }
h2 { font-size: 18px; font-weight: 600; margin: 36px 0 8px; }
.sub { color: #555; margin: 0 0 20px; }
.config { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 2px 24px; font-size: 13.5px; color: #333; margin: 0 0 20px; padding: 0; list-style: none; }
.config b { font-weight: 600; color: #111; }
.callout { border-left: 4px solid #2ca02c; background: #f3faf3; padding: 12px 16px; margin: 16px 0; }
.callout.warn { border-color: #d62728; background: #fdf3f3; }
.callout p { margin: 4px 0; }
figure { margin: 28px 0 36px; padding: 0; break-inside: avoid; }
figure h2 { margin-top: 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13.5px; color: #444; margin-top: 6px; max-width: 900px; }
figcaption a { color: #36c; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; margin: 8px 0 4px; }
th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #e5e5e5; white-space: nowrap; }
th { font-weight: 600; background: #fafafa; border-bottom: 1px solid #ccc; vertical-align: bottom; }
th.l, td.l { text-align: left; }
tr.band td { background: #f1f9f1; }
tr.first td { border-top: 1px solid #bbb; }
td .p { color: #777; font-size: 12px; }
tr.broken td { color: #a51d1d; }
.tablewrap { overflow-x: auto; }
.note { font-size: 13px; color: #555; }
.sig { font-weight: 600; }
th.first, td.first { border-left: 1px solid #ddd; }
ul.claims { font-size: 13.5px; padding-left: 20px; max-width: 900px; }
nav { font-size: 13.5px; margin: 8px 0 0; }
nav a { color: #36c; margin-right: 14px; }
footer { margin-top: 48px; font-size: 12.5px; color: #666; }
@media print { main { padding: 0; } nav { display: none; } }
`;

/** The outcome table (outcome.ts): band rows green, the best starred; text columns left-aligned. */
function outcomeTableHtml(result: SweepResult): string {
  const { header, rows } = outcomeTable(result);
  const left = new Set([0, 1, 3]);
  const cell = (tag: 'th' | 'td', text: string, i: number) =>
    `<${tag}${left.has(i) ? ' class="l"' : ''}>${escapeHtml(text)}</${tag}>`;
  const body = rows.map((r) => `<tr class="${r.cls}">${r.cells.map((c, i) => cell('td', c, i)).join('')}</tr>`);
  return `<div class="tablewrap"><table><tr>${header.map((h, i) => cell('th', h, i)).join('')}</tr>${body.join('\n')}</table></div>`;
}

/** The fluctuation table: one row per learning rate and layer. */
function layerTable(result: SweepResult): string {
  const agg = result.aggregate;
  const rows = [...agg.lrs]
    .sort((a, b) => b.lr - a.lr)
    .flatMap((a) =>
      a.layers.map((l, i) => {
        const lrCell = i === 0 ? `<td class="l" rowspan="${a.layers.length}">${lrLabel(a.lr)}</td>` : '';
        const cls = `${agg.band?.lrs.includes(a.lr) ? 'band' : ''}${i === 0 ? ' first' : ''}`;
        return `<tr class="${cls}">${lrCell}<td class="l">${escapeHtml(l.layer)} (${l.units})</td>${layerCells(l)}</tr>`;
      }),
    );
  return `<div class="tablewrap"><table><tr><th class="l">η</th><th class="l">layer (units)</th><th>RMS Δ weights</th><th>RMS Δ biases</th><th>participating</th><th>PR</th><th>S</th><th>S / mean s_j</th><th>dead units</th></tr>${rows.join('\n')}</table></div>`;
}

/** A layer's cells of the fluctuation table, each interval clipped to what its measure can take. */
export function layerCells(l: LayerAggregate): string {
  const w = l.weights;
  const share = (x: number) => percent(x, 0);
  return [
    meanPm(w.rms, undefined, NONNEGATIVE),
    meanPm(l.biases.rms, undefined, NONNEGATIVE),
    meanPm(frac(w.participating, l.units), share, FRACTION),
    meanPm(w.participationRatio, undefined, FRACTION),
    meanPm(w.spreadOfSpread, undefined, NONNEGATIVE),
    meanPm(w.spreadCv, undefined, NONNEGATIVE),
    meanPm(l.deadUnits, undefined, countOf(l.units)),
  ]
    .map((c) => `<td>${c}</td>`)
    .join('');
}

/** An interval as a share of `units`. */
function frac(iv: Interval | null, units: number): Interval | null {
  return iv && { mean: iv.mean / units, lo: iv.lo / units, hi: iv.hi / units, n: iv.n };
}

/** The band and the runs that did not end ok, in words. */
function callouts(result: SweepResult): string {
  const agg = result.aggregate;
  const f = outcomeFormat(result);
  const out: string[] = [];
  if (agg.band) {
    const best = agg.lrs.find((a) => a.lr === agg.band!.best)!;
    const range =
      agg.band.min === agg.band.max
        ? `η = ${lrLabel(agg.band.min)}`
        : `η from ${lrLabel(agg.band.min)} to ${lrLabel(agg.band.max)} (${agg.band.lrs.map(lrLabel).join(', ')})`;
    const seeds = best.outcome!.n;
    out.push(
      `<div class="callout"><p><b>Recommended learning-rate band:</b> ${range}.</p><p>Best: η = ${lrLabel(best.lr)} with ${escapeHtml(agg.outcome.label)} ${meanPm(best.outcome, f, outcomeBounds(result))}${seeds > 1 ? ' (mean ± 95% half-width)' : ''}; the band holds every learning rate whose mean reaches ${f(agg.band.threshold)}${seeds > 1 ? ", the best one's lower 95% bound" : ' (one seed: no interval, so only the best itself; run more seeds with --seeds for a band)'}.</p></div>`,
    );
  } else {
    out.push(
      '<div class="callout warn"><p><b>No recommended band:</b> no learning rate ended ok on every seed.</p></div>',
    );
  }
  const broken = agg.lrs.flatMap((a) => a.runs.filter((r) => r.status !== 'ok').map((r) => ({ lr: a.lr, ...r })));
  if (broken.length) {
    const items = broken.map(
      (r) =>
        `η = ${lrLabel(r.lr)}, seed ${r.seed}: ${r.status === 'diverged' ? `diverged at step ${r.divergedAtStep}${r.divergedBy === 'explosion' ? ' (smoothed loss past the diverge factor × its initial loss)' : r.divergedBy === 'non-finite' ? ' (loss or Δ not finite)' : ''}` : `failed (${escapeHtml(r.error ?? 'unknown error')})`}`,
    );
    out.push(
      `<div class="callout warn"><p><b>${broken.length} run${broken.length > 1 ? 's' : ''} did not end ok</b> (shown as red crosses in the accuracy chart; left out of means, histograms and correlations):</p><p>${items.join('<br>')}</p></div>`,
    );
  }
  return out.join('\n');
}

function configList(result: SweepResult): string {
  const c = result.config;
  const items: [string, string][] = [
    ['data', c.data + (c.trainLimit ? ` (first ${c.trainLimit} training examples)` : '')],
    ['model', c.model],
    ['optimizer', c.optimizer + (c.weightDecay ? `, weight decay ${c.weightDecay}` : '')],
    [
      'learning rates',
      c.lrs.map(lrLabel).join(', ') +
        (c.schedule && c.schedule !== 'constant' ? ` (peaks of schedule ${c.schedule})` : ''),
    ],
    ['seeds', c.seeds.join(', ')],
    ['epochs × batch', `${c.epochs} × ${c.batch}`],
    ['recording window', c.windowSteps ? `${c.windowSteps} steps` : 'one epoch'],
    ['participation τ', String(c.tau)],
    [
      'diverged when',
      c.divergeFactor
        ? `loss or Δ not finite, or smoothed loss > ${c.divergeFactor} × initial`
        : 'loss or Δ not finite',
    ],
  ];
  return `<ul class="config">${items.map(([k, v]) => `<li><b>${escapeHtml(k)}:</b> ${escapeHtml(v)}</li>`).join('')}</ul>`;
}

/** A chart of a page: its heading, the inline SVG, the caption and links to its files under `folder`. */
export function figureHtml(f: RenderedFigure, folder = 'figures'): string {
  const id = escapeHtml(f.id);
  const file = escapeHtml(`${folder}/${encodeURIComponent(f.id)}`);
  return `<figure id="${id}">
<h2 id="${id}-title">${escapeHtml(f.title)}</h2>
${inlineSvg(f.svg, f.id)}
<figcaption>${escapeHtml(f.caption)} <a href="${file}.svg">SVG</a> · <a href="${file}.png">PNG</a></figcaption>
</figure>`;
}

/**
 * The Content-Security-Policy of every page fluctlab writes: nothing loads and nothing runs (no script, no fetch, no
 * frame, no form), only the page's own inline styles and data: images, so a string from a record that escaped escaping
 * still could not run.
 */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The start of every self-contained page, up to </head>: charset, the CSP, an empty favicon (no request), viewport, title, styles. */
export function pageHead(title: string, extraCss = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}${extraCss}</style>
</head>`;
}

/** The whole page. */
export function reportHtml(input: ReportInput): string {
  const { result, figures } = input;
  const agg = result.aggregate;
  const total = result.runs.length;
  return `${pageHead(`fluctlab report: ${result.config.lrs.length} learning rates × ${result.config.seeds.length} seeds`)}
<body>
<main>
<h1>Learning rate, fluctuations and ${escapeHtml(agg.outcome.label)}</h1>
<p class="sub">fluctlab sweep: ${total} run${total === 1 ? '' : 's'} (${result.config.lrs.length} learning rates × ${result.config.seeds.length} seed${result.config.seeds.length === 1 ? '' : 's'}).</p>
${configList(result)}
${callouts(result)}
<nav>${figures.map((f) => `<a href="#${escapeHtml(f.id)}">${escapeHtml(f.title)}</a>`).join('')}<a href="#numbers">Numbers</a><a href="#correlations">Correlations</a><a href="#method">Method</a></nav>
${figures.map((f) => figureHtml(f)).join('\n')}
<section id="numbers">
<h2>Numbers</h2>
<p class="note">Mean ± 95% half-width over the seeds that ended ok (one seed: the value); where the ± would leave what the quantity can take (an accuracy or a share outside 0–100%, a count below 0 or above the layer's units, a size below 0), the interval clipped to it, in brackets: 97% (93%–100%). Green rows: the recommended band (★ the best).</p>
${outcomeTableHtml(result)}
<p class="note">Per layer, statistics of each run's last recording window (weights unless named): RMS of the step change Δ, share of neurons participating (f_j ≥ τ·mean f), participation ratio, spread of the spread S and its coefficient of variation, dead ReLU units on the probe batch.</p>
${layerTable(result)}
</section>
<section id="correlations">
<h2>Correlation with ${escapeHtml(agg.outcome.label)}</h2>
<p class="note">Spearman's rank correlation between each measure and the final ${escapeHtml(agg.outcome.label)} across all runs that ended ok (raw ρ), and what the measure says beyond the learning rate: every size of Δ grows with η, so a raw ρ can be η restated. The partial ρ takes log η out of both sides, and the within-η ρ compares each run only with the other seeds of its own learning rate; bold where p &lt; 0.05 (not corrected for the number of tests).</p>
${correlationSection(result)}
</section>
<section id="method">
<h2>Method</h2>
<ul class="note">
<li><b>Statistics:</b> ${escapeHtml(agg.method.statistic)}.</li>
<li><b>Intervals:</b> ${escapeHtml(agg.method.interval)}.</li>
<li><b>Correlations:</b> ${escapeHtml(agg.method.correlation)}.</li>
${agg.method.beyondLr ? `<li><b>Beyond η:</b> ${escapeHtml(agg.method.beyondLr)}.</li>` : ''}
<li><b>Band:</b> ${escapeHtml(agg.method.band)}.</li>
${input.arithmetic ? `<li><b>Arithmetic:</b> ${escapeHtml(input.arithmetic)} (${input.arithmetic === 'fma' ? 'each product added with one rounding, fused multiply-add' : 'a multiply, then an add'}); records match, bit for bit, those of the same runs in this arithmetic on any engine that has it.</li>` : ''}
<li><b>Histograms:</b> exact counts on fixed, shared bins (4 per octave of |Δ| from 2^−40 to 16, both signs, a zero bin and two overflow bins), added across seeds.</li>
</ul>
</section>
<footer>Generated ${escapeHtml(input.generatedAt)} by fluctlab ${escapeHtml(input.fluctlabVersion)}. Data: <a href="sweep.json">sweep.json</a> (with the aggregate), <a href="summary.csv">summary.csv</a> (one row per run and layer), <a href="runs/">runs/</a> (one RunRecord per run).</footer>
</main>
</body>
</html>
`;
}
