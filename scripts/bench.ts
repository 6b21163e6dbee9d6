/**
 * `npm run bench`: training speed of the default MLP (784-128-64-10, batch 64,
 * SGD) with fluctuation recording off and on, the recording overhead, an
 * 8-learning-rate sweep of one seed per core (fused and one run at a time), and a
 * 4-learning-rate sweep's wall time on 1 worker and on every core (with peak
 * RSS). When a Python with PyTorch or JAX is found (below) the anchors in
 * ../shared/anchors run side by side, in the same process tree and minute,
 * since this machine's speed drifts by ±30%, and the last lines are one table of
 * ratios (issue 10). Without them it says so and prints fluctlab's rows.
 *
 * Targets (issue 2, 3): ≥ 25,000 samples/s with recording on; overhead ≤ 5%;
 * sweep speed-up ≥ 1.9× on 2 cores. The lenet row (issue 9) trains fluctlab's `lenet` and the same network in
 * PyTorch (scripts/anchors/lenet_torch.py), 300 Adam steps each, one thread, recording on: target ≥ 0.6×. The last rows
 * (issue 28, scripts/bench-tfjs.ts) time a tfjs-layers MNIST CNN's fit with and without fluctlab/tfjs's callback:
 * target ≤ 10%.
 *
 * The anchors run on the first Python that imports torch (jax): $FLUCTLAB_ANCHOR_PYTHON, .venv-anchors/bin/python
 * (made as ../shared/anchors/README.md shows), then /usr/bin/python3. JAX runs pinned to one core (taskset) for the
 * per-core rows, as that README measures it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../src/contract/configure.js';
import { trainRun, trainRuns } from '../src/engine/training/run.js';
import { nodeEnvironment } from '../src/sweep/nodeBackend.js';
import { loadDataset } from '../src/node/loadData.js';
import { mnistDir } from '../src/node/mnist.js';
import { recorderMicrobench } from './bench-recorder.js';
import { tfjsBenchLines, tfjsCallbackBench } from './bench-tfjs.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const TRAIN_LIMIT = 32000; // 500 steps per measurement

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = (x: number) => `${(x / 1000).toFixed(1)}k`;

async function trainingSpeed(): Promise<{ off: number; on: number }> {
  const environment = await nodeEnvironment();
  const data = loadDataset(DEFAULTS);
  const config = { ...DEFAULTS, trainLimit: TRAIN_LIMIT, lrs: [0.1] };
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

/** The 8 learning rates of the per-core sweep row: none diverges with SGD on this MLP, so every run trains every step. */
const SWEEP8 = [0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005];

/** An 8-LR sweep of one seed in this thread (one core): samples/s over the runs, fused into one group and one run at a time. */
async function sweep8Speed(): Promise<{ fused: number; solo: number }> {
  const environment = await nodeEnvironment();
  const data = loadDataset(DEFAULTS);
  const config = { ...DEFAULTS, trainLimit: TRAIN_LIMIT, lrs: SWEEP8 };
  const specs = SWEEP8.map((lr) => ({ lr, seed: 1 }));
  const samples = (rs: { steps: number }[]) => rs.reduce((a, r) => a + r.steps * config.batch, 0);
  const fused: number[] = [];
  const solo: number[] = [];
  // Interleaved, in alternating order, so that drift of the machine's speed hits both alike.
  for (let i = 0; i < Math.max(2, Math.ceil(REPS / 2)); i++) {
    for (const together of i % 2 ? [false, true] : [true, false]) {
      if (together) {
        const group = await trainRuns(data, config, specs, environment);
        fused.push(samples(group) / group[0].timing.trainSeconds);
      } else {
        const alone = [];
        for (const spec of specs) alone.push(await trainRun(data, config, spec, environment));
        solo.push(samples(alone) / alone.reduce((a, r) => a + r.timing.trainSeconds, 0));
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

/** The first Python that imports `module` (torch, jax), or null. */
function anchorPython(module: string): string | null {
  const candidates = [
    process.env.FLUCTLAB_ANCHOR_PYTHON,
    join(import.meta.dirname, '..', '.venv-anchors', 'bin', 'python'),
    '/usr/bin/python3',
  ];
  return (
    candidates.find(
      (py) => !!py && existsSync(py) && spawnSync(py, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0,
    ) ?? null
  );
}

const ANCHORS = join(import.meta.dirname, '..', '..', 'shared', 'anchors');
type Line = Record<string, number>;
const jsonLines = (s: string): Line[] =>
  s
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
/** Samples per second of the runs' training loops, one after another: all samples over all training time. */
const serialRate = (runs: Line[]) =>
  (runs.reduce((a, r) => a + r.steps, 0) * DEFAULTS.batch) / runs.reduce((a, r) => a + r.train_s, 0);

/** JAX's rows: one run (serial mode) and the 8-LR sweep as one vmapped program, pinned to one core; the 4-LR sweep's wall on every core. */
function jaxAnchor(python: string | null): { single: number; sweep8: number; sweepSeconds: number } | null {
  const anchor = join(ANCHORS, 'jax_sweep.py');
  if (!existsSync(anchor) || !python) return null;
  const pinned = (args: string[]) =>
    jsonLines(
      spawnSync('taskset', ['-c', '0', python, anchor, mnistDir(), ...args], {
        encoding: 'utf8',
        env: { ...process.env, XLA_FLAGS: '--xla_cpu_multi_thread_eigen=false' },
      }).stdout,
    );
  const single = pinned(['--lrs', '0.1', '--mode', 'serial']).find((l) => 'samples_per_s' in l);
  const sweep8 = pinned(['--lrs', SWEEP8.join(','), '--mode', 'vmap']).pop();
  const wall = jsonLines(
    spawnSync(python, [anchor, mnistDir(), '--lrs', '0.1,0.01,0.001,0.0001', '--mode', 'vmap'], { encoding: 'utf8' })
      .stdout,
  ).pop();
  return single && sweep8 && wall
    ? { single: single.samples_per_s, sweep8: sweep8.sweep_train_samples_per_s, sweepSeconds: wall.sweep_wall_s }
    : null;
}

const LENET_STEPS = 300;

/** fluctlab's lenet and PyTorch's, the same 300 Adam steps on MNIST, one thread each, recording on. */
async function lenetRow(python: string | null): Promise<{ fluctlab: number; torch: number | null }> {
  const environment = await nodeEnvironment();
  const config = {
    ...DEFAULTS,
    model: 'lenet',
    optimizer: 'adam' as const,
    lrs: [0.001],
    trainLimit: LENET_STEPS * 64,
    probeSize: 256,
  };
  const data = loadDataset(config);
  await trainRun(data, { ...config, trainLimit: 640 }, { lr: 0.001, seed: 1 }, environment); // warm-up
  const ours = (await trainRun(data, config, { lr: 0.001, seed: 1 }, environment)).timing.samplesPerSecond;
  if (!python) return { fluctlab: ours, torch: null };
  const r = spawnSync(
    python,
    [
      join(import.meta.dirname, 'anchors', 'lenet_torch.py'),
      mnistDir(),
      '--steps',
      String(LENET_STEPS),
      '--threads',
      '1',
    ],
    { encoding: 'utf8' },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { fluctlab: ours, torch: line.startsWith('{') ? JSON.parse(line).samples_per_s : null };
}

function torchAnchor(python: string | null): { samplesPerSecond: number; sweep8: number; sweepSeconds: number } | null {
  const anchor = join(ANCHORS, 'torch_sweep.py');
  if (!existsSync(anchor) || !python) return null;
  const one = spawnSync(python, [anchor, mnistDir(), '--lrs', '0.1', '--threads', '1'], { encoding: 'utf8' });
  const eight = spawnSync(python, [anchor, mnistDir(), '--lrs', SWEEP8.join(','), '--threads', '1'], {
    encoding: 'utf8',
  });
  const sweep = spawnSync(
    python,
    [anchor, mnistDir(), '--lrs', '0.1,0.01,0.001,0.0001', '--parallel', String(availableParallelism())],
    { encoding: 'utf8' },
  );
  // the runs' own lines: their training loops, as fluctlab's samples/s counts them (the last line's sweep figure
  // includes Python's start-up and data loading)
  const run = jsonLines(one.stdout).find((l) => 'samples_per_s' in l);
  const runs8 = jsonLines(eight.stdout).filter((l) => 'samples_per_s' in l);
  const wall = jsonLines(sweep.stdout).pop();
  return run && runs8.length === SWEEP8.length && wall
    ? { samplesPerSecond: run.samples_per_s, sweep8: serialRate(runs8), sweepSeconds: wall.sweep_wall_s }
    : null;
}

async function browserSpeed(threads: number): Promise<number | null> {
  const path = new URL('./bench-browser.ts', import.meta.url);
  if (!existsSync(path)) return null;
  const mod = (await import(path.href)) as {
    benchBrowser?: (threads?: number) => Promise<{ samplesPerSecond: number } | null>;
  };
  return (await mod.benchBrowser?.(threads))?.samplesPerSecond ?? null;
}

const speed = await trainingSpeed();
const overhead = (speed.off / speed.on - 1) * 100;
console.log(`training, default MLP, batch 64, median of ${REPS} interleaved runs of ${TRAIN_LIMIT / 64} steps:`);
console.log(`  recording off  ${k(speed.off)} samples/s`);
console.log(`  recording on   ${k(speed.on)} samples/s   (target ≥ 25.0k)`);
console.log(`  overhead       ${overhead.toFixed(1)}%   (target ≤ 5%)`);
const micro = await recorderMicrobench(REPS);
console.log(
  `  recorder alone ${median(micro.wasm).toFixed(0)} µs/step in WASM, ${median(micro.js).toFixed(0)} µs/step in JS (${micro.n} parameters; npm run bench:recorder)`,
);
let browser1: number | null = null;
for (const threads of [1, 2, 4]) {
  const browser = await browserSpeed(threads);
  if (browser === null) break;
  if (threads === 1) browser1 = browser;
  console.log(
    `  browser (Chromium, recording on, ${threads} WASM thread${threads === 1 ? '' : 's'}) ${k(browser)} samples/s = ${((browser / speed.on) * 100).toFixed(0)}% of Node${threads === 1 ? ' (target ≥ 90%)' : ''}`,
  );
}
const sweep8 = await sweep8Speed();
console.log(
  `8-learning-rate sweep of one seed (${SWEEP8.join(', ')}; ${TRAIN_LIMIT / 64} steps each), one core, recording on:`,
);
console.log(`  fused (one group)   ${k(sweep8.fused)} samples/s over the runs`);
console.log(
  `  one run at a time   ${k(sweep8.solo)} samples/s   (fusion: ${(sweep8.fused / sweep8.solo).toFixed(2)}×)`,
);
const cores = availableParallelism();
const w1 = sweepWall(1);
const wn = sweepWall(cores);
console.log(`4-learning-rate sweep (0.1, 0.01, 0.001, 0.0001; full MNIST, 1 epoch):`);
console.log(`  1 worker   ${w1.seconds.toFixed(1)} s, peak RSS ${w1.maxRssMb.toFixed(0)} MB`);
console.log(`  ${cores} workers  ${wn.seconds.toFixed(1)} s, peak RSS ${wn.maxRssMb.toFixed(0)} MB`);
console.log(`  speed-up   ${(w1.seconds / wn.seconds).toFixed(2)}×   (target ≥ 1.9× on 2 cores)`);
const python = anchorPython('torch');
const torch = torchAnchor(python);
if (!torch)
  console.log(
    'PyTorch anchor: no Python with torch (make .venv-anchors as ../shared/anchors/README.md shows, or set FLUCTLAB_ANCHOR_PYTHON)',
  );
const jax = jaxAnchor(anchorPython('jax'));
if (!jax)
  console.log(
    'JAX anchor: no Python with jax (make .venv-anchors as ../shared/anchors/README.md shows, or set FLUCTLAB_ANCHOR_PYTHON)',
  );
if (torch || jax) {
  // one table of ratios, every figure from this run: fluctlab ÷ anchor (above 1: fluctlab is faster)
  const ratio = (ours: number, theirs: number | undefined, higherIsBetter = true) =>
    theirs === undefined ? '—' : `${(higherIsBetter ? ours / theirs : theirs / ours).toFixed(2)}×`;
  const rows: [string, string, string, string, string, string][] = [
    [
      'single run per core, recording on (samples/s)',
      k(speed.on),
      torch ? k(torch.samplesPerSecond) : '—',
      jax ? k(jax.single) : '—',
      ratio(speed.on, torch?.samplesPerSecond),
      ratio(speed.on, jax?.single),
    ],
    [
      '8-LR sweep of one seed per core (samples/s)',
      k(sweep8.fused),
      torch ? k(torch.sweep8) : '—',
      jax ? k(jax.sweep8) : '—',
      ratio(sweep8.fused, torch?.sweep8),
      ratio(sweep8.fused, jax?.sweep8),
    ],
    [
      `4-LR sweep on ${cores} cores, wall with start-up (s)`,
      wn.seconds.toFixed(1),
      torch ? torch.sweepSeconds.toFixed(1) : '—',
      jax ? jax.sweepSeconds.toFixed(1) : '—',
      ratio(wn.seconds, torch?.sweepSeconds, false),
      ratio(wn.seconds, jax?.sweepSeconds, false),
    ],
  ];
  console.log(
    `side by side (fluctlab ÷ anchor, above 1× fluctlab is faster; same machine, same minute, ${new Date().toISOString().slice(0, 16)}Z):`,
  );
  console.log(
    `  ${'measure'.padEnd(48)} ${'fluctlab'.padStart(9)} ${'PyTorch'.padStart(9)} ${'JAX'.padStart(9)} ${'vs PyTorch'.padStart(11)} ${'vs JAX'.padStart(8)}`,
  );
  for (const [what, ours, t, j, rt, rj] of rows)
    console.log(
      `  ${what.padEnd(48)} ${ours.padStart(9)} ${t.padStart(9)} ${j.padStart(9)} ${rt.padStart(11)} ${rj.padStart(8)}`,
    );
  console.log(
    `  recording overhead ${overhead.toFixed(1)}% (target ≤ 5%); browser ${browser1 ? `${((browser1 / speed.on) * 100).toFixed(0)}% of Node` : 'not measured'} (target ≥ 90%); peak RSS of the ${cores}-worker sweep ${wn.maxRssMb.toFixed(0)} MB`,
  );
}
const lenet = await lenetRow(python);
console.log(
  `lenet (conv 5×5×6 same, pool, conv 5×5×16, pool, 120, 84, 10; Adam, batch 64, ${LENET_STEPS} steps, one thread, recording on):`,
);
console.log(
  `  fluctlab ${k(lenet.fluctlab)} samples/s${lenet.torch ? `; PyTorch ${k(lenet.torch)} samples/s; ratio ${(lenet.fluctlab / lenet.torch).toFixed(2)}×   (target ≥ 0.6×)` : '; PyTorch: not available'}`,
);
for (const line of tfjsBenchLines(await tfjsCallbackBench(REPS), REPS)) console.log(line);
