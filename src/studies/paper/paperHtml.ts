/**
 * reproduce.html: the paper's view of a `fluctlab reproduce` folder, one
 * self-contained page (inline CSS and SVG, no script, no network): the setup
 * and which of our choices stand in for the paper's unpublished ones, the
 * claims paragraph computed from the numbers, the per-learning-rate table,
 * the figures, the reconstruction grid, and the equal-progress and MNIST
 * sections when the folder has them. Pure string building.
 */
import type { LrStudy, StudyAnalysis } from './paperAnalysis.js';
import type { EqualProgress, PaperClaims } from './paperClaims.js';
import type { ReproducePlan } from './paperStudy.js';
import { escapeHtml, figureHtml, inlineSvg, pageHead, type RenderedFigure } from '../../report/html.js';
import { lrLabel, NONNEGATIVE, num } from '../../report/format.js';
import {
  claimsParagraph,
  equalProgressParagraph,
  etaFreeParagraph,
  mnistParagraph,
  pm,
  pmAccuracy,
  pmUnits,
} from './paperText.js';

/** Everything the page shows. */
export interface PaperReportInput {
  plan: ReproducePlan;
  main: StudyAnalysis;
  claims: PaperClaims;
  equalProgress: { analysis: StudyAnalysis; ep: EqualProgress } | null;
  mnist: { analysis: StudyAnalysis; claims: PaperClaims; dir: string } | null;
  /** rendered charts; their files are figures-reproduce/<id>.svg and .png */
  figures: RenderedFigure[];
  /** the reconstruction grid as SVG (null for classifiers) */
  grid: string | null;
  generatedAt: string;
  fluctlabVersion: string;
}

/** Folder of the reproduction's figure files, beside reproduce.html. */
export const PAPER_FIGURES_DIR = 'figures-reproduce';

/** The per-learning-rate table: outcome, neurons, spread of the spread, mean fluctuation (mean ± 95% half-width). */
export function studyTable(a: StudyAnalysis): string {
  const cls = a.task === 'classification';
  const head = [
    'η',
    'runs',
    ...(cls ? ['test accuracy'] : ['test MSE', 'PSNR (dB)']),
    'participating',
    'effective N·PR',
    'active',
    'dead',
    'spread of the spread S',
    'mean fluctuation f',
    'effective step RMS Δ/η',
    'update-to-weight ‖Δ‖/‖W‖',
  ];
  const rows = a.lrs.map((s: LrStudy) => {
    const runs = `${s.ok}/${s.runs} ok${s.diverged ? `, ${s.diverged} diverged` : ''}${s.failed ? `, ${s.failed} failed` : ''}`;
    const outcome = cls ? [pmAccuracy(s.accuracy, 2)] : [pm(s.mse, 3, NONNEGATIVE), pm(s.psnr, 4)];
    const cells = [
      ...outcome,
      `${pmUnits(s.participating, s.hiddenUnits)} / ${s.hiddenUnits}`,
      pmUnits(s.effectiveNeurons, s.hiddenUnits),
      pmUnits(s.active, s.hiddenUnits),
      pmUnits(s.dead, s.hiddenUnits),
      pm(s.spreadOfSpread, 3, NONNEGATIVE),
      pm(s.meanFluctuation, 3, NONNEGATIVE),
      pm(s.effectiveRms, 3, NONNEGATIVE),
      pm(s.updateRatio, 3, NONNEGATIVE),
    ];
    return `<tr><td class="l">${lrLabel(s.lr)}</td><td class="l">${runs}</td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<div class="tablewrap"><table><tr>${head.map((h, i) => `<th class="${i < 2 ? 'l' : ''}">${escapeHtml(h)}</th>`).join('')}</tr>${rows.join('\n')}</table></div>`;
}

function equalProgressTable(ep: EqualProgress, task: StudyAnalysis['task'], units: number): string {
  const f = (r: EqualProgress['rows'][number]) =>
    task === 'classification' ? pmAccuracy(r.outcome, 2) : pm(r.outcome, 3, NONNEGATIVE);
  const rows = ep.rows.map(
    (r) =>
      `<tr><td class="l">${lrLabel(r.lr)}</td><td>${r.epochs}</td><td>${r.steps}</td><td>${num(r.lrSteps)}</td><td>${escapeHtml(f(r))}</td><td>${escapeHtml(pmUnits(r.active, units))}</td><td>${escapeHtml(pmUnits(r.participating, units))}</td><td>${r.epochsToTarget ?? 'not reached'}</td></tr>`,
  );
  return `<div class="tablewrap"><table><tr><th class="l">η</th><th>epochs</th><th>steps</th><th>η × steps</th><th>${task === 'classification' ? 'test accuracy' : 'test MSE'}</th><th>active</th><th>participating</th><th>epoch reaching loss ${escapeHtml(num(ep.targetLoss))}</th></tr>${rows.join('\n')}</table></div>`;
}

function setupList(plan: ReproducePlan): string {
  const c = plan.main;
  const items: [string, string][] = [
    ['data', `${c.data} (our eight shapes: see README)`],
    ['model', `${c.model}, ReLU hidden, sigmoid output, MSE (ours)`],
    ['optimizer', `${c.optimizer} (ours; the paper does not say)`],
    ['learning rates', c.lrs.map(lrLabel).join(', ')],
    ['seeds', c.seeds.join(', ')],
    ['epochs × batch', `${c.epochs} × ${c.batch}`],
    ['recording window', c.windowSteps ? `${c.windowSteps} steps (${plan.windows} windows per run)` : 'one epoch'],
    ['τ (participation, activity)', String(c.tau)],
    ['probe batch', `first ${c.probeSize} training examples`],
  ];
  return `<ul class="config">${items.map(([k, v]) => `<li><b>${escapeHtml(k)}:</b> ${escapeHtml(v)}</li>`).join('')}</ul>`;
}

/** The whole page. */
export function paperReportHtml(input: PaperReportInput): string {
  const { plan, main, claims } = input;
  const fig = (id: string) =>
    input.figures
      .filter((f) => f.id === id)
      .map((f) => figureHtml(f, PAPER_FIGURES_DIR))
      .join('\n');
  const sections: string[] = [];
  const etaFree = etaFreeParagraph(main, claims);
  sections.push(`<h2 id="findings">Which claims hold</h2>
<div class="callout"><p>${escapeHtml(claimsParagraph(main, claims))}</p>${etaFree ? `<p>${escapeHtml(etaFree)}</p>` : ''}</div>
<h2 id="table">Per learning rate</h2>
${studyTable(main)}
<p class="note">Mean ± 95% half-width over seeds (Student t). Neuron counts are over all ${Math.max(0, ...main.lrs.map((s) => s.hiddenUnits))} hidden units at the end of training: participating and effective by weight fluctuation in the last window, active and dead by mean activation on the probe batch. S and f are means over layers of the last window's values (weights), as are Δ/η (each step's RMS Δ over the η in force) and ‖Δ‖/‖W‖ (docs/metrics.md). Where the ± would leave what a number can take (a count below 0 or above the units, a size below 0), the interval clipped to it, in brackets.</p>`);
  for (const id of ['paper-loss', 'paper-fluctuation-histograms', 'paper-spread', 'paper-neurons'])
    sections.push(fig(id));
  if (input.grid) {
    sections.push(`<figure id="paper-reconstructions">
<h2 id="paper-reconstructions-title">Originals and reconstructions</h2>
${inlineSvg(input.grid, 'paper-reconstructions')}
<figcaption>The first test example of each class (top) and its reconstruction after the last epoch at each learning rate (lowest seed). <a href="${PAPER_FIGURES_DIR}/paper-reconstructions.svg">SVG</a> · <a href="${PAPER_FIGURES_DIR}/paper-reconstructions.png">PNG</a></figcaption>
</figure>`);
  }
  sections.push(fig('paper-gradient-norms'));
  if (input.equalProgress) {
    const { analysis, ep } = input.equalProgress;
    sections.push(`<h2 id="equal-progress">Worse or slower? Equal progress</h2>
<div class="callout"><p>${escapeHtml(equalProgressParagraph(ep, analysis.task))}</p></div>
${equalProgressTable(ep, analysis.task, Math.max(0, ...analysis.lrs.map((s) => s.hiddenUnits)))}
${fig('paper-equal-progress')}`);
  }
  if (input.mnist) {
    const m = input.mnist;
    sections.push(`<h2 id="mnist">The same analysis on MNIST classification</h2>
<div class="callout"><p>${escapeHtml(mnistParagraph(claims, m.claims, m.analysis))}</p></div>
${studyTable(m.analysis)}
<p class="note">From the sweep in <code>${escapeHtml(m.dir)}</code> (${escapeHtml(m.analysis.lrs.map((s) => `${lrLabel(s.lr)}: ${s.ok} runs`).join(', '))}).</p>
${fig('paper-shapes-vs-mnist')}`);
  }
  return `${pageHead('fluctlab reproduce: learning rates vs participating neurons', '\n.grid svg { max-width: 100%; height: auto; }')}
<body>
<main>
<h1>Reproducing "Neuronal Fluctuations: Learning Rates vs Participating Neurons"</h1>
<p class="sub">Pareek, Kumar, Rao, Janjam (2025) trained a small autoencoder on eight geometric shapes for 1000 epochs at learning rates 0.01, 0.001 and 0.0001. Their shapes, architecture, optimizer and formulas are not published: everything below uses fluctlab's own, listed here.</p>
${setupList(plan)}
<nav><a href="#findings">claims</a><a href="#table">table</a><a href="#paper-loss">figures</a>${input.equalProgress ? '<a href="#equal-progress">equal progress</a>' : ''}${input.mnist ? '<a href="#mnist">MNIST</a>' : ''}<a href="report.html">sweep report of the main arm</a></nav>
${sections.join('\n')}
<footer>fluctlab ${escapeHtml(input.fluctlabVersion)} · generated ${escapeHtml(input.generatedAt)} · numbers in reproduce-summary.json</footer>
</main>
</body>
</html>
`;
}
