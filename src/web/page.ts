/**
 * The page (index.html): a form for the sweep, validated as the user types and
 * again on submit; then the sweep in Web Workers with a live table and live
 * charts; then the report view and the JSON downloads. `body[data-state]` says
 * where it is: ready, running, done, stopped or error.
 *
 * Form fields can be preset from the URL: index.html?lrs=0.1,0.01&epochs=2.
 * Switching the data between MNIST and shapes fills in the suggested model,
 * optimizer, rates and epochs for it (form.ts SUGGESTED), where the user left
 * the previous suggestion in place.
 */
import { env } from '../backend/env.js';
import { sweepRuns, type SweepConfig } from '../core/config.js';
import { trainCount } from '../core/dataset.js';
import { CancelledError } from '../core/run.js';
import { downloadText } from './dom.js';
import { envFacts, showEnvironment } from './envPanel.js';
import { commandLine, dataKind, FIELDS, parseSweepFields, SUGGESTED, trainExamples, type DataKind, type FieldErrors, type FieldName, type FieldValues, type FormResult } from './form.js';
import { LiveCharts } from './liveCharts.js';
import { planPool } from './poolPlan.js';
import { runBrowserSweep, stepsPerRun, type BrowserSweep } from './browserSweep.js';
import { showReport } from './reportView.js';
import { RunTable } from './runTable.js';
import { registerIsolationWorker } from './isolation.js';
import { loadingMessage, loadSiteDataset } from './webData.js';
import { WebPoolExecutor } from './webPool.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('sweep-form');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const statusLine = $<HTMLElement>('status');
const envList = $<HTMLElement>('env-list');

let current: WebPoolExecutor | null = null;
let lastSweep: BrowserSweep | null = null;
let shownKind: DataKind = 'mnist';

function setState(state: 'ready' | 'running' | 'done' | 'stopped' | 'error', message = ''): void {
  document.body.dataset.state = state;
  statusLine.textContent = message;
}

function control(name: string): HTMLInputElement | HTMLSelectElement | null {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
}

function readFields(): FieldValues {
  return Object.fromEntries(FIELDS.map((f) => [f, control(f)?.value ?? null]));
}

function showErrors(errors: FieldErrors): void {
  for (const el of form.querySelectorAll<HTMLElement>('[data-error-for]')) {
    const name = el.dataset.errorFor as keyof FieldErrors;
    el.textContent = errors[name] ?? '';
    control(name)?.setAttribute('aria-invalid', errors[name] ? 'true' : 'false');
  }
}

/** When the data field changes kind, replaces each field still holding the old kind's suggestion (except `keep`); shows the data's size as the training examples' placeholder. */
function suggestForData(keep: ReadonlySet<string> = new Set()): void {
  const kind = dataKind(control('data')?.value);
  for (const [name, value] of kind === shownKind ? [] : (Object.entries(SUGGESTED[kind]) as [FieldName, string][])) {
    const el = control(name);
    if (el && !keep.has(name) && el.value === SUGGESTED[shownKind][name]) el.value = value;
  }
  shownKind = kind;
  const r = parseSweepFields({ data: control('data')?.value ?? null });
  const limit = control('train-limit');
  if (limit instanceof HTMLInputElement && r.ok) limit.placeholder = `all ${trainExamples(r.config.data)}`;
}

/** Checks the form, shows a message next to each wrong field, and updates the equivalent command. */
function validate(): FormResult {
  const r = parseSweepFields(readFields());
  showErrors(r.ok ? {} : r.errors);
  $('command').textContent = r.ok ? commandLine(r.config) : '(fix the fields above)';
  runButton.disabled = !r.ok || current !== null;
  return r;
}

function setFormEnabled(enabled: boolean): void {
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) el.disabled = !enabled;
  stopButton.disabled = enabled;
}

async function runSweep(config: SweepConfig): Promise<void> {
  const runs = sweepRuns(config).length;
  const plan = planPool(runs, env.hardwareConcurrency, env.crossOriginIsolated);
  const executor = new WebPoolExecutor(plan, (c) => loadSiteDataset(c.data));
  current = executor;
  setFormEnabled(false);
  runButton.disabled = true;
  $('report').hidden = true;
  lastSweep = null;
  const started = performance.now();
  try {
    setState('running', loadingMessage(config.data));
    const data = await loadSiteDataset(config.data);
    $('live').hidden = false;
    const table = new RunTable($<HTMLTableElement>('runs'), config);
    const charts = await LiveCharts.create($('live-loss'), $('live-fluct'), config.lrs, stepsPerRun(config, trainCount(data)));
    void executor.describe().then((e) => showEnvironment(envList, envFacts(e, plan)), () => {});
    setState('running', `training ${runs} run${runs === 1 ? '' : 's'} on ${plan.workers} worker${plan.workers === 1 ? '' : 's'}…`);
    const sweep = await runBrowserSweep(config, executor, plan.workers, {
      runStarted: (s) => table.started(s.id),
      progress: (p) => {
        table.progress(p);
        charts.add(p);
      },
      runFinished: (r) => table.finished(r),
    });
    charts.flush();
    lastSweep = sweep;
    const seconds = (performance.now() - started) / 1000;
    $('report').hidden = false;
    await showReport($('report-charts'), sweep.result);
    const failed = sweep.records.filter((r) => r.status === 'failed').length;
    setState('done', `done: ${runs} run${runs === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${failed ? `, ${failed} failed` : ''}`);
  } catch (e) {
    if (e instanceof CancelledError) setState('stopped', 'stopped: nothing was kept from the unfinished runs');
    else {
      console.error(e);
      setState('error', `error: ${(e as Error)?.message ?? String(e)}`);
    }
  } finally {
    current = null;
    await executor.close().catch(() => {});
    setFormEnabled(true);
    validate();
  }
}

/** Fills the environment panel from a short-lived worker, before any sweep. */
async function probeEnvironment(): Promise<void> {
  const r = parseSweepFields(readFields());
  const plan = planPool(r.ok ? sweepRuns(r.config).length : 1, env.hardwareConcurrency, env.crossOriginIsolated);
  showEnvironment(envList, envFacts(null, plan));
  const probe = new WebPoolExecutor({ workers: 1, threads: plan.threads }, () => Promise.reject(new Error('probe only')));
  try {
    const e = await probe.describe();
    if (!current) showEnvironment(envList, envFacts(e, plan));
  } catch (e) {
    envList.append(Object.assign(document.createElement('dd'), { textContent: `the WASM backend did not start: ${(e as Error)?.message ?? e}` }));
  } finally {
    await probe.close();
  }
}

function presetFromUrl(): void {
  const params = new URLSearchParams(location.search);
  for (const f of FIELDS) {
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
    const first = FIELDS.find((f) => r.errors[f]);
    if (first) control(first)?.focus();
    return;
  }
  void runSweep(r.config);
});
stopButton.addEventListener('click', () => current?.cancel());
$('download-sweep').addEventListener('click', () => {
  if (lastSweep) downloadText('sweep.json', `${JSON.stringify(lastSweep.result, null, 1)}\n`);
});
$('download-runs').addEventListener('click', () => {
  if (lastSweep) downloadText('runs.json', `${JSON.stringify(lastSweep.records, null, 1)}\n`);
});

presetFromUrl();
registerIsolationWorker();
validate();
setState('ready');
void probeEnvironment();
