/**
 * lr-find.html: the LR range test as one self-contained page (inline CSS and
 * SVG, no script, no network): the suggestions, how the ramp ended, the
 * charts, and the method. Pure string building.
 */
import type { LrFindResult } from '../engine/training/lrFind.js';
import { lrLabel, num } from './format.js';
import { escapeHtml, figureHtml, pageHead, type RenderedFigure } from './html.js';
import { stopWords } from './lrFindCharts.js';

/** The suggestions as a table. */
function suggestionTable(r: LrFindResult): string {
  if (r.suggestions.length === 0)
    return '<p class="note">No suggestion: the ramp stopped after fewer than 2 steps. Lower --start or raise --steps.</p>';
  const rows = r.suggestions.map(
    (s) =>
      `<tr><td class="l"><b>${escapeHtml(s.name)}</b></td><td>${escapeHtml(num(s.lr))}</td><td>${s.step}</td><td>${escapeHtml(num(s.smoothed))}</td><td class="l">${escapeHtml(s.method)}</td></tr>`,
  );
  return `<div class="tablewrap"><table><tr><th class="l">suggestion</th><th>η</th><th>read at step</th><th>smoothed loss there</th><th class="l">how</th></tr>${rows.join('\n')}</table></div>`;
}

/** The whole page. */
export function lrFindHtml(
  r: LrFindResult,
  figures: RenderedFigure[],
  generatedAt: string,
  fluctlabVersion: string,
): string {
  const c = r.config;
  const items: [string, string][] = [
    ['data', c.data + (c.trainLimit ? ` (first ${c.trainLimit} training examples)` : '')],
    ['model', c.model],
    ['optimizer', c.optimizer + (c.weightDecay ? `, weight decay ${c.weightDecay}` : '')],
    ['batch', String(c.batch)],
    ['seed', String(r.seed)],
    ['ramp', `${lrLabel(r.options.start)} → ${lrLabel(r.options.end)} over ${r.options.steps} steps (exponential)`],
    ['recording window', `${r.options.windowSteps} step${r.options.windowSteps === 1 ? '' : 's'}`],
  ];
  return `${pageHead(`fluctlab lr-find: ${c.model} on ${c.data}`)}
<body>
<main>
<h1>LR range test</h1>
<p class="sub">The learning rate grew exponentially while one run trained; the test stopped ${escapeHtml(stopWords(r))}.</p>
<ul class="config">${items.map(([k, v]) => `<li><b>${escapeHtml(k)}:</b> ${escapeHtml(v)}</li>`).join('')}</ul>
<section id="suggestions">
<h2>Suggested learning rates</h2>
${suggestionTable(r)}
<p class="note">Each reads the smoothed loss after leaving out the first tenth of the ramp and its last 5 steps, as fastai does. The valley is fastai's default; a sweep around the suggestions (fluctlab sweep --lr …) tells which holds for training to the end.</p>
</section>
${figures.map((f) => figureHtml(f)).join('\n')}
<section id="method">
<h2>Method</h2>
<ul class="note">
<li><b>Ramp:</b> η_t = start · (end/start)^(t/(steps − 1)); one optimizer step per η, on batches in the seeded order of a sweep run with the same seed.</li>
<li><b>Smoothing:</b> a_k = β a_{k−1} + (1 − β) loss_k, smoothed = a_k / (1 − β^k), β = ${r.options.smoothing}; the test stops when it exceeds ${r.options.stopFactor} × its lowest value, or a loss or Δ is not finite.</li>
<li><b>Recording:</b> the fluctuation recorder runs along the ramp; each window's RMS Δ is divided by its mean η (the gradient scale), and participation and dead units are those of a sweep.</li>
</ul>
</section>
<footer>Generated ${escapeHtml(generatedAt)} by fluctlab ${escapeHtml(fluctlabVersion)}. Data: <a href="lr-find.json">lr-find.json</a>.</footer>
</main>
</body>
</html>
`;
}
