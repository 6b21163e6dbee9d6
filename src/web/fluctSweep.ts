/**
 * <fluct-sweep>: a learning-rate sweep embedded in any page with one module
 * script. Attributes are the page's form fields; an invalid attribute shows a
 * message in the element and the Run button stays disabled.
 *
 *     <script type="module" src="https://example.org/fluctlab/fluct-sweep.js"></script>
 *     <fluct-sweep lrs="0.1,0.01,0.001" epochs="1"></fluct-sweep>
 *
 *     <fluct-sweep data="shapes" model="ae:128,32" optimizer="adam" lrs="0.01,0.001,0.0001" epochs="50"></fluct-sweep>
 *
 * Attributes: the page's setting fields (FIELDS: data, lrs, epochs, model, optimizer, seeds, seed, batch, train-limit,
 * fuse, windows, window-steps, arithmetic; docs/cli.md lists them with their defaults, the same as the page's and the command
 * line's), and `autorun` to start without a click. The rest of the site (worker, .wasm, data) is loaded
 * from next to this script, so host the whole dist/web folder. `state`
 * reflects ready, invalid, running, done, stopped or error.
 */
import { env } from '../contract/host.js';
import { sweepRuns, type SweepConfig } from '../contract/config.js';
import { CancelledError } from '../contract/errors.js';
import { sweepCharts } from '../report/charts.js';
import { lrLabel } from '../report/format.js';
import { downloadText, h } from './dom.js';
import css from './element.css?inline';
import { FIELDS, parseSweepFields, type FormResult } from './form.js';
import { showChart } from './charting.js';
import { liveSweep } from './liveSweep.js';
import type { SweepOutcome } from '../sweep/runSweep.js';

type State = 'ready' | 'invalid' | 'running' | 'done' | 'stopped' | 'error';

let sheet: CSSStyleSheet | null = null;

/** The `<fluct-sweep>` element's class, which defineFluctSweep registers (its attributes and states: docs/web.md). */
export class FluctSweepElement extends HTMLElement {
  static observedAttributes = [...FIELDS];

  private readonly root: ShadowRoot;
  private readonly summary = h('span', { class: 'summary', part: 'summary' });
  private readonly runButton = h('button', { type: 'button', part: 'run' }, 'Run sweep');
  private readonly stopButton = h('button', { type: 'button', class: 'secondary', part: 'stop', hidden: true }, 'Stop');
  private readonly downloadButton = h(
    'button',
    { type: 'button', class: 'secondary', part: 'download', hidden: true },
    'Download runs.json',
  );
  private readonly error = h('p', { class: 'error', part: 'error', role: 'alert' });
  private readonly status = h('p', { class: 'status', part: 'status', 'aria-live': 'polite' });
  private readonly envLine = h('p', { class: 'env', part: 'environment' });
  private readonly table = h('table', { part: 'runs' });
  private readonly charts = h('div', { class: 'charts' });
  private readonly result = h('div', { class: 'result', part: 'result' });
  private controller: AbortController | null = null;
  private sweep: SweepOutcome | null = null;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    sheet ??= new CSSStyleSheet();
    sheet.replaceSync(css);
    this.root.adoptedStyleSheets = [sheet];
    this.table.hidden = true;
    this.root.append(
      h('div', { class: 'bar' }, this.summary, this.runButton, this.stopButton, this.downloadButton),
      this.error,
      this.status,
      this.envLine,
      this.table,
      this.charts,
      this.result,
    );
    this.runButton.addEventListener('click', () => this.run());
    this.stopButton.addEventListener('click', () => this.controller?.abort());
    this.downloadButton.addEventListener('click', () => {
      if (this.sweep) downloadText('runs.json', `${JSON.stringify(this.sweep.records, null, 1)}\n`);
    });
  }

  connectedCallback(): void {
    const r = this.validate();
    if (r.ok && this.hasAttribute('autorun')) void this.run();
  }

  attributeChangedCallback(): void {
    if (!this.controller) this.validate();
  }

  /** The sweep the attributes describe, or the messages for the wrong ones. */
  parse(): FormResult {
    return parseSweepFields(Object.fromEntries(FIELDS.map((f) => [f, this.getAttribute(f)])));
  }

  private setState(state: State, message = ''): void {
    this.setAttribute('state', state);
    this.status.textContent = message;
  }

  private validate(): FormResult {
    const r = this.parse();
    if (r.ok) {
      this.error.textContent = '';
      this.summary.replaceChildren(...describe(r.config));
      this.runButton.disabled = false;
      this.setState('ready');
    } else {
      this.error.textContent = Object.entries(r.errors)
        .map(([field, message]) => `${field === 'form' ? '' : `${field}: `}${message}`)
        .join(' · ');
      this.summary.textContent = 'Learning-rate sweep: fix the attributes below';
      this.runButton.disabled = true;
      this.setState('invalid');
    }
    return r;
  }

  /** Trains the sweep the attributes describe (ignored while one runs or when they are invalid). */
  async run(): Promise<void> {
    const r = this.validate();
    if (!r.ok || this.controller) return;
    const config = r.config;
    const controller = new AbortController();
    this.controller = controller;
    this.sweep = null;
    this.runButton.disabled = true;
    this.stopButton.hidden = false;
    this.downloadButton.hidden = true;
    this.result.replaceChildren();
    try {
      this.table.hidden = false;
      const loss = h('div');
      const fluct = h('div');
      this.charts.replaceChildren(loss, fluct);
      this.sweep = await liveSweep(
        config,
        { table: this.table, loss, fluct },
        {
          signal: controller.signal,
          assets: elementAssets,
          fuse: r.values.fuse,
          windows: r.values.windows,
          onStatus: (message) => this.setState('running', message),
          onEnvironment: (e, plan) => {
            this.envLine.textContent = `${e.backend}${e.simd ? ' SIMD' : ''}, ${e.threads} thread${e.threads === 1 ? '' : 's'} × ${plan.workers} worker${plan.workers === 1 ? '' : 's'}, ${env.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated'}, tfjs ${e.tfjsVersion}`;
          },
        },
      );
      const accuracy = sweepCharts(this.sweep.result).find((c) => c.id === 'accuracy');
      if (accuracy) await showChart(this.result, accuracy.spec);
      this.downloadButton.hidden = false;
      const runs = this.sweep.records.length;
      this.setState('done', `done: ${runs} run${runs === 1 ? '' : 's'}`);
      this.dispatchEvent(new CustomEvent('sweep-done', { detail: this.sweep, bubbles: true, composed: true }));
    } catch (e) {
      if (e instanceof CancelledError) this.setState('stopped', 'stopped');
      else {
        console.error(e);
        this.setState('error', `error: ${(e as Error)?.message ?? String(e)}`);
      }
    } finally {
      this.controller = null;
      this.stopButton.hidden = true;
      this.runButton.disabled = false;
    }
  }
}

/** "Learning-rate sweep: 3 runs (η 0.1, 0.01, 0.001) · mlp:128,64 · 1 epoch · sgd" (the data named unless MNIST). */
function describe(c: SweepConfig): (Node | string)[] {
  const runs = sweepRuns(c).length;
  return [
    'Learning-rate sweep: ',
    h('strong', {}, `${runs} run${runs === 1 ? '' : 's'}`),
    ` (η ${c.lrs.map(lrLabel).join(', ')}${c.seeds.length > 1 ? ` × ${c.seeds.length} seeds` : ''}) · ${c.data === 'mnist' ? '' : `${c.data} · `}${c.model} · ${c.epochs} epoch${c.epochs === 1 ? '' : 's'} · ${c.optimizer}${c.trainLimit ? ` · ${c.trainLimit} examples` : ''}`,
  ];
}

/** Where elements defined by defineFluctSweep find the site's files (undefined: next to this module). */
let elementAssets: string | undefined;

/**
 * Registers the element (once per page) as `name`; `assets` is the URL of the hosted dist/web folder when this module
 * is bundled into another page.
 *
 *     defineFluctSweep({ assets: '/fluctlab/' }); // then: <fluct-sweep lrs="0.1,0.01" epochs="1"></fluct-sweep>
 */
export function defineFluctSweep(options: { name?: string; assets?: string } = {}): void {
  const name = options.name ?? 'fluct-sweep';
  elementAssets = options.assets;
  if (!customElements.get(name))
    customElements.define(name, name === 'fluct-sweep' ? FluctSweepElement : class extends FluctSweepElement {});
}
