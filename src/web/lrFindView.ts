/**
 * The LR range test's result in the page: how the ramp stopped, the suggestions table and the charts (the same
 * specifications as lr-find.html, report/lrFindCharts.ts).
 */
import type { LrFindResult } from '../engine/training/lrFind.js';
import { num } from '../report/format.js';
import { lrFindCharts, stopWords } from '../report/lrFindCharts.js';
import { showChart } from './charting.js';
import { h } from './dom.js';

/** Where the result goes. */
export interface LrFindView {
  stop: HTMLElement;
  suggestions: HTMLElement;
  charts: HTMLElement;
}

/** The LR range test's suggestions table and charts. */
export async function showLrFind(result: LrFindResult, view: LrFindView): Promise<void> {
  view.stop.textContent = `The test stopped ${stopWords(result)}.`;
  const head = h(
    'tr',
    {},
    h('th', {}, 'suggestion'),
    h('th', {}, 'η'),
    h('th', {}, 'smoothed loss there'),
    h('th', {}, 'how'),
  );
  const rows = result.suggestions.map((s) =>
    h(
      'tr',
      { 'data-suggestion': s.name },
      h('td', {}, s.name),
      h('td', {}, num(s.lr)),
      h('td', {}, num(s.smoothed)),
      h('td', {}, s.method),
    ),
  );
  view.suggestions.replaceChildren(head, ...rows);
  const charts = lrFindCharts(result);
  const figures = charts.map((c) => ({ c, plot: h('div', { class: 'plot' }) }));
  view.charts.replaceChildren(
    ...figures.map(({ c, plot }) =>
      h(
        'figure',
        { class: 'chart', 'data-chart': c.id },
        h('figcaption', {}, h('strong', {}, c.title), ' ', c.caption),
        plot,
      ),
    ),
  );
  for (const { c, plot } of figures) await showChart(plot, c.spec);
}
