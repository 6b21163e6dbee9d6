/**
 * The page (index.html): a form for the sweep, validated as the user types and
 * again on submit; then the sweep in Web Workers with a live table and live
 * charts; then the report view and the JSON downloads. `body[data-state]` says
 * where it is: ready, running, done, stopped or error.
 *
 * Form fields can be preset from the URL: index.html?lrs=0.1,0.01&epochs=2. The mode field switches the form to an LR
 * range test (index.html?mode=lr-find): one run in one worker, its suggestions, charts and lr-find.json.
 * Switching the data between MNIST and shapes fills in the suggested model,
 * optimizer, rates and epochs for it (form.ts SUGGESTED), where the user left
 * the previous suggestion in place.
 */
import { env } from '../contract/host.js';
import { sweepRuns, type SweepConfig } from '../contract/config.js';
import type { SettingValues } from '../contract/settings.js';
import { CancelledError } from '../contract/errors.js';
import { downloadText } from './dom.js';
import { envFacts, showEnvironment } from './envPanel.js';
import {
  commandLine,
  dataKind,
  fieldsOf,
  parseSweepFields,
  SUGGESTED,
  trainExamples,
  type DataKind,
  type FieldValues,
  type FormResult,
} from './form.js';
import { drawFields } from './formView.js';
import { liveSweep } from './liveSweep.js';
import type { SweepOutcome } from '../sweep/runSweep.js';
import { parseThreads } from '../sweep/poolPlan.js';
import { showReport } from './reportView.js';
import { registerIsolationWorker } from './isolation.js';
import { loadingMessage, loadSiteDataset } from './webData.js';
import { openWebExecutor, planWebPool } from '../sweep/openWebExecutor.js';
import { parseLrFindFields, type LrFindForm } from './lrFindForm.js';
import type { LrFindResult } from '../engine/training/lrFind.js';
import { stopWords } from '../report/lrFindCharts.js';
import { showLrFind } from './lrFindView.js';
import { num } from '../report/format.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('sweep-form');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const statusLine = $<HTMLElement>('status');
const envList = $<HTMLElement>('env-list');

let current: AbortController | null = null;
let lastSweep: SweepOutcome | null = null;
let lastLrFind: LrFindResult | null = null;
drawFields($('threads-field'));
const SETTING_FIELDS = [...new Set([...fieldsOf('sweep'), ...fieldsOf('lr-find')].map((s) => s.field!))];
const ALL_FIELDS = ['mode', ...SETTING_FIELDS, 'threads'];

/** The Threads field's choice (undefined: auto), or its error. */
function threadsChoice() {
  return parseThreads(control('threads')?.value, env.crossOriginIsolated && env.sharedMemory);
}
let shownKind: DataKind = 'mnist';

function setState(state: 'ready' | 'running' | 'done' | 'stopped' | 'error', message = ''): void {
  document.body.dataset.state = state;
  statusLine.textContent = message;
}

function control(name: string): HTMLInputElement | HTMLSelectElement | null {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
}

function readFields(): FieldValues & Record<string, string | null> {
  return Object.fromEntries(ALL_FIELDS.map((f) => [f, control(f)?.value ?? null]));
}

/** The form's mode: a sweep, or an LR range test. */
function mode(): 'sweep' | 'lr-find' {
  return control('mode')?.value === 'lr-find' ? 'lr-find' : 'sweep';
}

function showErrors(errors: Partial<Record<string, string>>): void {
  for (const el of form.querySelectorAll<HTMLElement>('[data-error-for]')) {
    const name = el.dataset.errorFor ?? '';
    el.textContent = errors[name] ?? '';
    control(name)?.setAttribute('aria-invalid', errors[name] ? 'true' : 'false');
  }
}

/** When the data field changes kind, replaces each field still holding the old kind's suggestion (except `keep`); shows the data's size as the training examples' placeholder. */
function suggestForData(keep: ReadonlySet<string> = new Set()): void {
  const kind = dataKind(control('data')?.value);
  for (const [name, value] of kind === shownKind ? [] : (Object.entries(SUGGESTED[kind]) as [string, string][])) {
    const el = control(name);
    if (el && !keep.has(name) && el.value === SUGGESTED[shownKind][name]) el.value = value;
  }
  shownKind = kind;
  const r = parseSweepFields({ data: control('data')?.value ?? null });
  const limit = control('train-limit');
  if (limit instanceof HTMLInputElement && r.ok) limit.placeholder = `all ${trainExamples(r.config.data)}`;
}

/** Checks the form, shows a message next to each wrong field, and updates the equivalent command. */
function validate(): FormResult | LrFindForm | { ok: false; errors: Partial<Record<string, string>> } {
  document.body.dataset.mode = mode();
  runButton.textContent = mode() === 'lr-find' ? 'Run LR range test' : 'Run sweep';
  const t = threadsChoice();
  const threadErrors: Partial<Record<string, string>> = t.ok ? {} : { threads: t.error };
  if (mode() === 'lr-find') {
    const f = parseLrFindFields(readFields());
    showErrors({ ...(f.ok ? {} : f.errors), ...threadErrors });
    $('command').textContent = f.ok ? commandLine(f.values, 'lr-find') : '(fix the fields above)';
    runButton.disabled = !f.ok || !t.ok || current !== null;
    return f.ok && !t.ok ? { ok: false, errors: threadErrors } : f;
  }
  const r = parseSweepFields(readFields());
  showErrors({ ...(r.ok ? {} : r.errors), ...threadErrors });
  $('command').textContent = r.ok ? commandLine(r.values) : '(fix the fields above)';
  runButton.disabled = !r.ok || !t.ok || current !== null;
  return r.ok && !t.ok ? { ok: false, errors: threadErrors } : r;
}

function setFormEnabled(enabled: boolean): void {
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) el.disabled = !enabled;
  stopButton.disabled = enabled;
}

/**
 * Runs one job (a sweep, or an LR range test): the form is locked, earlier results hidden, and the state set from the
 * outcome; Stop aborts it. `body` returns the line shown when it is done.
 */
async function runJob(body: (signal: AbortSignal) => Promise<string>): Promise<void> {
  const controller = new AbortController();
  current = controller;
  setFormEnabled(false);
  runButton.disabled = true;
  $('report').hidden = true;
  $('lrfind').hidden = true;
  lastSweep = null;
  lastLrFind = null;
  try {
    setState('done', await body(controller.signal));
  } catch (e) {
    if (e instanceof CancelledError) setState('stopped', 'stopped: nothing was kept from the unfinished runs');
    else {
      console.error(e);
      setState('error', `error: ${(e as Error)?.message ?? String(e)}`);
    }
  } finally {
    current = null;
    setFormEnabled(true);
    validate();
  }
}

async function runSweep(
  config: SweepConfig,
  { fuse, windows }: Pick<SettingValues, 'fuse' | 'windows'>,
): Promise<void> {
  const t = threadsChoice();
  const started = performance.now();
  await runJob(async (signal) => {
    $('live').hidden = false;
    const sweep = await liveSweep(
      config,
      { table: $<HTMLTableElement>('runs'), loss: $('live-loss'), fluct: $('live-fluct') },
      {
        signal,
        threads: t.ok ? t.threads : undefined,
        fuse,
        windows,
        onStatus: (message) => setState('running', message),
        onEnvironment: (e, plan) => showEnvironment(envList, envFacts(e, plan)),
      },
    );
    lastSweep = sweep;
    const seconds = (performance.now() - started) / 1000;
    $('report').hidden = false;
    await showReport($('report-charts'), sweep.result);
    const runs = sweep.records.length;
    const failed = sweep.records.filter((r) => r.status === 'failed').length;
    const fused = sweep.fusedGroups ? `, ${sweep.fusedGroups} fused group${sweep.fusedGroups === 1 ? '' : 's'}` : '';
    return `done: ${runs} run${runs === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${fused}${failed ? `, ${failed} failed` : ''}`;
  });
}

/** The LR range test: one run in one worker (with the threads a single run may use), then its suggestions and charts. */
async function runLrFind(f: Extract<LrFindForm, { ok: true }>): Promise<void> {
  const t = threadsChoice();
  const started = performance.now();
  await runJob(async (signal) => {
    setState('running', loadingMessage(f.config.data));
    await loadSiteDataset(f.config.data);
    const executor = openWebExecutor(1, (c) => loadSiteDataset(c.data), { threads: t.ok ? t.threads : undefined });
    const stop = () => executor.cancel();
    signal.addEventListener('abort', stop, { once: true });
    try {
      void executor.describe().then(
        (e) => showEnvironment(envList, envFacts(e, executor.plan)),
        () => {},
      );
      setState(
        'running',
        `LR range test: η from ${num(f.options.start)} to ${num(f.options.end)} over ${f.options.steps} steps…`,
      );
      const result = await executor.lrFind(f.config, f.options, f.seed, (p) => {
        statusLine.textContent = `LR range test: step ${p.step} of ${f.options.steps}, η ${num(p.lr)}, smoothed loss ${num(p.smoothed)}`;
      });
      lastLrFind = result;
      $('lrfind').hidden = false;
      await showLrFind(result, {
        stop: $('lrfind-stop'),
        suggestions: $('lrfind-suggestions'),
        charts: $('lrfind-charts'),
      });
      return `done: LR range test in ${((performance.now() - started) / 1000).toFixed(1)} s, stopped ${stopWords(result)}`;
    } finally {
      signal.removeEventListener('abort', stop);
      await executor.close().catch(() => {});
    }
  });
}

/** Fills the environment panel from a short-lived worker, before any sweep. */
async function probeEnvironment(): Promise<void> {
  const r = parseSweepFields(readFields());
  const runs = r.ok ? sweepRuns(r.config).length : 1;
  const plan = planWebPool(runs);
  showEnvironment(envList, envFacts(null, plan));
  const probe = openWebExecutor(runs, () => Promise.reject(new Error('probe only')), { workers: 1 });
  try {
    const e = await probe.describe();
    if (!current) showEnvironment(envList, envFacts(e, plan));
  } catch (e) {
    envList.append(
      Object.assign(document.createElement('dd'), {
        textContent: `the WASM backend did not start: ${(e as Error)?.message ?? e}`,
      }),
    );
  } finally {
    await probe.close();
  }
}

function presetFromUrl(): void {
  const params = new URLSearchParams(location.search);
  for (const f of ALL_FIELDS) {
    const v = params.get(f);
    const el = control(f);
    if (v !== null && el) el.value = v;
  }
  suggestForData(new Set(params.keys()));
}

form.addEventListener('input', (e) => {
  if ((e.target as HTMLInputElement | null)?.name === 'data') suggestForData();
  validate();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (current) return;
  const r = validate();
  if (!r.ok) {
    const errors = r.errors as Record<string, string | undefined>;
    const first = ALL_FIELDS.find((f) => errors[f]);
    if (first) control(first)?.focus();
    return;
  }
  if ('options' in r) void runLrFind(r);
  else void runSweep(r.config, r.values);
});
stopButton.addEventListener('click', () => current?.abort());
$('download-sweep').addEventListener('click', () => {
  if (lastSweep) downloadText('sweep.json', `${JSON.stringify(lastSweep.result, null, 1)}\n`);
});
$('download-lrfind').addEventListener('click', () => {
  if (lastLrFind) downloadText('lr-find.json', `${JSON.stringify(lastLrFind, null, 1)}\n`);
});
$('download-runs').addEventListener('click', () => {
  if (lastSweep) downloadText('runs.json', `${JSON.stringify(lastSweep.records, null, 1)}\n`);
});

presetFromUrl();
registerIsolationWorker();
validate();
setState('ready');
void probeEnvironment();
