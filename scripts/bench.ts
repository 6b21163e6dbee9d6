/**
 * `npm run bench`: training speed of the default MLP (784-128-64-10, batch 64, SGD) with fluctuation recording off and
 * on, at the CLI's default cadence (a window every 47 steps, as the default run's 20 in its 937; each closes with a
 * pass over the 100-example probe); the
 * recording overhead and the recorder alone; the browser (headless Chromium, 1, 2 and 4 WASM threads); an
 * 8-learning-rate sweep of one seed per core, fused and one run at a time (the figure compared is what `--fuse auto`
 * chooses); a 4-learning-rate sweep's wall time on 1 worker and on every core, with peak RSS; and LeNet. When a Python
 * with PyTorch or JAX is found (bench-anchors.ts) the anchors run beside it, in the same process tree and minute, since
 * this machine's speed drifts by ±30%, and the last lines are one table of ratios.
 *
 *     npm run bench                 the table, as text
 *     npm run -s bench -- --json    the same figures as one JSON object on stdout (progress on stderr; -s keeps npm's banner off it)
 *
 * The last rows (scripts/bench-tfjs.ts) time a tfjs-layers MNIST CNN's fit with and without fluctlab/tfjs's callback
 * (target ≤ 10%).
 *
 * The arithmetic is what `--arithmetic auto` gives on this engine (fma where it fuses), and the output says which.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WINDOWS, withWindows, type SweepConfig } from '../src/contract/config.js';
import { DEFAULTS } from '../src/contract/configure.js';
import { trainCount } from '../src/engine/data/dataset.js';
import { resolveArithmetic } from '../src/engine/kernels/arithmetic.js';
import { modelPlan } from '../src/engine/training/modelPlan.js';
import { trainRun, trainRuns } from '../src/engine/training/run.js';
import { loadDataset } from '../src/node/loadData.js';
import { FUSE_MAX_PARAMETERS } from '../src/sweep/fusion.js';
import { nodeEnvironment } from '../src/sweep/nodeBackend.js';
import { anchorPython, jaxAnchor, SWEEP8, torchAnchor, torchLenet } from './bench-anchors.js';
import { recorderMicrobench } from './bench-recorder.js';
import { tfjsBenchLines, tfjsCallbackBench } from './bench-tfjs.js';

const JSON_OUT = process.argv.includes('--json');
const REPS = Number(process.env.BENCH_REPS ?? 5);
const TRAIN_LIMIT = 32000; // 500 steps per measurement
const LENET_STEPS = 300;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = (x: number) => `${(x / 1000).toFixed(1)}k`;
/** A line of the text report: on stdout, or on stderr as progress when the JSON goes to stdout. */
const say = (line: string) => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);

const environment = await nodeEnvironment();
const data = loadDataset(DEFAULTS);
/**
 * A config at the CLI's default cadence: a window every 47 steps, the rate at which `fluctlab sweep`'s default run (one
 * epoch of MNIST's 60,000, 937 steps, 20 windows) closes them. The bench's shorter runs keep that rate: 20 windows in
 * a 500-step run would close them twice as often as any default run does (three times in LeNet's 300 steps).
 */
const CADENCE = withWindows({ ...DEFAULTS, trainLimit: null }, DEFAULT_WINDOWS, trainCount(data)).windowSteps!;
const cadenced = (c: SweepConfig): SweepConfig => ({ ...c, windowSteps: CADENCE });

async function trainingSpeed(): Promise<{ off: number; on: number }> {
  const config = cadenced({ ...DEFAULTS, trainLimit: TRAIN_LIMIT, lrs: [0.1] });
  await trainRun(data, { ...config, trainLimit: 6400 }, { lr: 0.1, seed: 1 }, environment); // warm-up
  const off: number[] = [];
  const on: number[] = [];
  // Interleaved so that drift of the machine's speed hits both alike.
  for (let i = 0; i < REPS; i++) {
    for (const record of i % 2 ? [true, false] : [false, true]) {
      const r = await trainRun(data, config, { lr: 0.1, seed: 1 }, environment, { record });
      (record ? on : off).push(r.timing.samplesPerSecond);
    }
  }
  return { off: median(off), on: median(on) };
}

/** An 8-LR sweep of one seed in this thread (one core): samples/s over the runs, fused into one group and one run at a time. */
async function sweep8Speed(): Promise<{ fused: number; solo: number }> {
  const config = cadenced({ ...DEFAULTS, trainLimit: TRAIN_LIMIT, lrs: SWEEP8 });
  const specs = SWEEP8.map((lr) => ({ lr, seed: 1 }));
  const samples = (rs: { steps: number }[]) => rs.reduce((a, r) => a + r.steps * config.batch, 0);
  const fused: number[] = [];
  const solo: number[] = [];
  for (let i = 0; i < Math.max(2, Math.ceil(REPS / 2)); i++) {
    for (const together of i % 2 ? [false, true] : [true, false]) {
      if (together) {
        const t0 = performance.now();
        const group = await trainRuns(data, config, specs, environment);
        fused.push(samples(group) / ((performance.now() - t0) / 1000));
      } else {
        const t0 = performance.now();
        const alone = [];
        for (const spec of specs) alone.push(await trainRun(data, config, spec, environment));
        solo.push(samples(alone) / ((performance.now() - t0) / 1000));
      }
    }
  }
  return { fused: median(fused), solo: median(solo) };
}

function sweepWall(workers: number): { seconds: number; maxRssMb: number } {
  const out = mkdtempSync(join(tmpdir(), 'fluctlab-bench-'));
  rmSync(out, { recursive: true });
  const script =
    `const t=performance.now();const {main}=await import(${JSON.stringify(new URL('../dist/cli/cli.js', import.meta.url).href)});` +
    `const code=await main(['sweep','--lr','0.1,0.01,0.001,0.0001','--workers','${workers}','--out',${JSON.stringify(out)},'--quiet','--no-report']);` +
    `console.log(JSON.stringify({code,seconds:(performance.now()-t)/1000,maxRssMb:process.resourceUsage().maxRSS/1024}));process.exit(0)`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  rmSync(out, { recursive: true, force: true });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`sweep bench failed: ${r.stderr}`);
  const parsed = JSON.parse(line);
  if (parsed.code !== 0) throw new Error(`sweep bench: the sweep exited ${parsed.code}`);
  return parsed;
}

/**
 * fluctlab's lenet (300 Adam steps on MNIST, one thread, recording on at the default cadence) and PyTorch's (when a
 * Python with it is found), three times each, interleaved: medians, since one run of each moves with the machine.
 */
async function lenetSpeeds(python: string | null): Promise<{ fluctlab: number; pytorch: number | null }> {
  const config = cadenced({
    ...DEFAULTS,
    model: 'lenet',
    optimizer: 'adam' as const,
    lrs: [0.001],
    trainLimit: LENET_STEPS * 64,
  });
  await trainRun(data, { ...config, trainLimit: 640 }, { lr: 0.001, seed: 1 }, environment); // warm-up
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 3; i++) {
    ours.push((await trainRun(data, config, { lr: 0.001, seed: 1 }, environment)).timing.samplesPerSecond);
    const torch = torchLenet(python, LENET_STEPS);
    if (torch !== null) theirs.push(torch);
  }
  return { fluctlab: median(ours), pytorch: theirs.length > 0 ? median(theirs) : null };
}

async function browserSpeed(threads: number): Promise<number | null> {
  const mod = (await import(new URL('./bench-browser.ts', import.meta.url).href)) as {
    benchBrowser?: (threads?: number, windowSteps?: number) => Promise<{ samplesPerSecond: number } | null>;
  };
  return (await mod.benchBrowser?.(threads, CADENCE))?.samplesPerSecond ?? null;
}

const arithmetic = resolveArithmetic('auto');
say(
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; ${environment.runtime}; ${arithmetic} arithmetic`,
);
const speed = await trainingSpeed();
const overhead = (speed.off / speed.on - 1) * 100;
say(
  `training, default MLP, batch 64, ${TRAIN_LIMIT / 64} steps, a window every ${CADENCE} (the default run's cadence), median of ${REPS} interleaved runs:`,
);
say(`  recording off  ${k(speed.off)} samples/s`);
say(`  recording on   ${k(speed.on)} samples/s`);
say(`  overhead       ${overhead.toFixed(1)}%   (target ≤ 5%)`);
const micro = await recorderMicrobench(REPS);
const recorderUs = { wasm: median(micro.wasm), js: median(micro.js), parameters: micro.n };
say(
  `  recorder alone ${recorderUs.wasm.toFixed(0)} µs/step in WASM, ${recorderUs.js.toFixed(0)} µs/step in JS (${micro.n} parameters; npm run bench:recorder)`,
);
const browser: Record<string, number> = {};
for (const threads of [1, 2, 4]) {
  const s = await browserSpeed(threads);
  if (s === null) break;
  browser[threads] = s;
  say(
    `  browser (Chromium, recording on, ${threads} WASM thread${threads === 1 ? '' : 's'}) ${k(s)} samples/s = ${((s / speed.on) * 100).toFixed(0)}% of Node${threads === 1 ? ' (target ≥ 90%)' : ''}`,
  );
}
if (browser[1] === undefined) say('  browser: no Chromium found');
const sweep8 = await sweep8Speed();
// what `--fuse auto` does with this model (the default MLP is above FUSE_MAX_PARAMETERS: one run at a time)
const autoFuses = modelPlan(DEFAULTS, data).paramCount <= FUSE_MAX_PARAMETERS;
const sweep8Auto = autoFuses ? sweep8.fused : sweep8.solo;
say(
  `8-learning-rate sweep of one seed (${SWEEP8.join(', ')}; ${TRAIN_LIMIT / 64} steps each), one core, recording on:`,
);
say(`  fused (one group)   ${k(sweep8.fused)} samples/s over the runs`);
say(`  one run at a time   ${k(sweep8.solo)} samples/s   (fusion: ${(sweep8.fused / sweep8.solo).toFixed(2)}×)`);
say(`  --fuse auto takes   ${autoFuses ? 'the fused group' : 'one run at a time'}`);
const cores = availableParallelism();
const w1 = sweepWall(1);
const wn = sweepWall(cores);
say('4-learning-rate sweep (0.1, 0.01, 0.001, 0.0001; full MNIST, 1 epoch), wall with start-up:');
say(`  1 worker   ${w1.seconds.toFixed(1)} s, peak RSS ${w1.maxRssMb.toFixed(0)} MB`);
say(`  ${cores} workers  ${wn.seconds.toFixed(1)} s, peak RSS ${wn.maxRssMb.toFixed(0)} MB`);
say(`  speed-up   ${(w1.seconds / wn.seconds).toFixed(2)}×`);
const python = anchorPython('torch');
const lenetPair = await lenetSpeeds(python);
const lenet = lenetPair.fluctlab;
const torch = torchAnchor(python);
const torchLenetSpeed = lenetPair.pytorch;
if (!torch)
  say(
    'PyTorch anchor: no Python with torch (make .venv-anchors as ../shared/anchors/README.md shows, or set FLUCTLAB_ANCHOR_PYTHON)',
  );
const jax = jaxAnchor(anchorPython('jax'));
if (!jax)
  say(
    'JAX anchor: no Python with jax (make .venv-anchors as ../shared/anchors/README.md shows, or set FLUCTLAB_ANCHOR_PYTHON)',
  );

// one table of ratios, every figure from this run: fluctlab ÷ anchor (above 1: fluctlab is faster)
const ratio = (ours: number, theirs: number | null | undefined, higherIsBetter = true) =>
  theirs == null ? null : higherIsBetter ? ours / theirs : theirs / ours;
const rows = [
  {
    measure: 'single run per core, recording on (samples/s)',
    fluctlab: speed.on,
    pytorch: torch?.samplesPerSecond ?? null,
    jax: jax?.single ?? null,
    target: 1.0,
  },
  {
    measure: '8-LR sweep of one seed per core (samples/s)',
    fluctlab: sweep8Auto,
    pytorch: torch?.sweep8 ?? null,
    jax: jax?.sweep8 ?? null,
    target: 1.2,
  },
  {
    measure: `4-LR sweep on ${cores} cores, wall with start-up (s)`,
    fluctlab: wn.seconds,
    pytorch: torch?.sweepSeconds ?? null,
    jax: jax?.sweepSeconds ?? null,
    lowerIsBetter: true,
  },
  { measure: 'LeNet, Adam, one thread (samples/s)', fluctlab: lenet, pytorch: torchLenetSpeed, jax: null, target: 1.0 },
].map((r) => ({
  ...r,
  vsPytorch: ratio(r.fluctlab, r.pytorch, !r.lowerIsBetter),
  vsJax: ratio(r.fluctlab, r.jax, !r.lowerIsBetter),
}));
const at = `${new Date().toISOString().slice(0, 16)}Z`;
const num = (x: number | null, seconds: boolean) => (x === null ? '—' : seconds ? x.toFixed(1) : k(x));
const times = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);
say(`side by side (fluctlab ÷ anchor, above 1× fluctlab is faster; same machine, same minute, ${at}):`);
say(
  `  ${'measure'.padEnd(48)} ${'fluctlab'.padStart(9)} ${'PyTorch'.padStart(9)} ${'JAX'.padStart(9)} ${'vs PyTorch'.padStart(11)} ${'vs JAX'.padStart(8)} ${'target'.padStart(7)}`,
);
for (const r of rows) {
  const s = r.lowerIsBetter === true;
  say(
    `  ${r.measure.padEnd(48)} ${num(r.fluctlab, s).padStart(9)} ${num(r.pytorch, s).padStart(9)} ${num(r.jax, s).padStart(9)} ${times(r.vsPytorch).padStart(11)} ${times(r.vsJax).padStart(8)} ${(r.target ? `≥ ${r.target.toFixed(1)}×` : '').padStart(7)}`,
  );
}
say(
  `  recording overhead ${overhead.toFixed(1)}% (target ≤ 5%); browser ${browser[1] ? `${((browser[1] / speed.on) * 100).toFixed(0)}% of Node` : 'not measured'} (target ≥ 90%); peak RSS of the ${cores}-worker sweep ${wn.maxRssMb.toFixed(0)} MB`,
);
const tfjs = await tfjsCallbackBench(REPS);
for (const line of tfjsBenchLines(tfjs, REPS)) say(line);
if (JSON_OUT)
  process.stdout.write(
    `${JSON.stringify(
      {
        at,
        cpu: cpus()[0]?.model ?? null,
        cores,
        runtime: environment.runtime,
        arithmetic,
        training: { ...speed, overheadPercent: overhead, recorderMicroseconds: recorderUs },
        browser: Object.fromEntries(
          Object.entries(browser).map(([t, s]) => [t, { samplesPerSecond: s, ofNode: s / speed.on }]),
        ),
        sweep8: { ...sweep8, autoFuses },
        sweep4: { oneWorker: w1, allWorkers: { workers: cores, ...wn }, speedUp: w1.seconds / wn.seconds },
        lenet: { fluctlab: lenet, pytorch: torchLenetSpeed },
        sideBySide: rows,
        tfjsCallback: tfjs,
      },
      null,
      1,
    )}\n`,
  );
