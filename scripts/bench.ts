/**
 * `npm run bench`: training speed of the default MLP (784-128-64-10, batch 64,
 * SGD) with fluctuation recording off and on, the recording overhead, and a
 * 4-learning-rate sweep's wall time on 1 worker and on every core (with peak
 * RSS). When a Python with PyTorch is found (below) the PyTorch anchor in
 * ../shared/anchors runs side by side, in the same process tree and minute,
 * since this machine's speed drifts by ±30%.
 *
 * Targets (issue 2, 3): ≥ 25,000 samples/s with recording on; overhead ≤ 5%;
 * sweep speed-up ≥ 1.9× on 2 cores. The lenet row (issue 9) trains fluctlab's `lenet` and the same network in
 * PyTorch (scripts/anchors/lenet_torch.py), 300 Adam steps each, one thread, recording on: target ≥ 0.6×.
 *
 * The anchors run on the first Python that imports torch: $FLUCTLAB_ANCHOR_PYTHON, .venv-anchors/bin/python (made as
 * ../shared/anchors/README.md shows), then /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../src/core/config.js';
import { trainRun } from '../src/core/training/run.js';
import { nodeEnvironment } from '../src/backend/nodeWasm.js';
import { loadDataset } from '../src/node/loadData.js';
import { mnistDir } from '../src/node/mnist.js';
import { recorderMicrobench } from './bench-recorder.js';

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

function sweepWall(workers: number): { seconds: number; maxRssMb: number } {
  const out = mkdtempSync(join(tmpdir(), 'fluctlab-bench-'));
  rmSync(out, { recursive: true });
  const script = `const t=performance.now();const {main}=await import(${JSON.stringify(new URL('../dist/node/cli.js', import.meta.url).href)});` +
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

/** The first Python that imports torch, or null. */
function torchPython(): string | null {
  const candidates = [process.env.FLUCTLAB_ANCHOR_PYTHON, join(import.meta.dirname, '..', '.venv-anchors', 'bin', 'python'), '/usr/bin/python3'];
  return candidates.find((py) => !!py && existsSync(py) && spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) ?? null;
}

const LENET_STEPS = 300;

/** fluctlab's lenet and PyTorch's, the same 300 Adam steps on MNIST, one thread each, recording on. */
async function lenetRow(python: string | null): Promise<{ fluctlab: number; torch: number | null }> {
  const environment = await nodeEnvironment();
  const config = { ...DEFAULTS, model: 'lenet', optimizer: 'adam' as const, lrs: [0.001], trainLimit: LENET_STEPS * 64, probeSize: 256 };
  const data = loadDataset(config);
  await trainRun(data, { ...config, trainLimit: 640 }, { lr: 0.001, seed: 1 }, environment); // warm-up
  const ours = (await trainRun(data, config, { lr: 0.001, seed: 1 }, environment)).timing.samplesPerSecond;
  if (!python) return { fluctlab: ours, torch: null };
  const r = spawnSync(python, [join(import.meta.dirname, 'anchors', 'lenet_torch.py'), mnistDir(), '--steps', String(LENET_STEPS), '--threads', '1'], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { fluctlab: ours, torch: line.startsWith('{') ? JSON.parse(line).samples_per_s : null };
}

function torchAnchor(python: string | null): { samplesPerSecond: number; sweepSeconds: number } | null {
  const anchor = join(import.meta.dirname, '..', '..', 'shared', 'anchors', 'torch_sweep.py');
  if (!existsSync(anchor) || !python) return null;
  const one = spawnSync(python, [anchor, mnistDir(), '--lrs', '0.1', '--threads', '1'], { encoding: 'utf8' });
  const sweep = spawnSync(python, [anchor, mnistDir(), '--lrs', '0.1,0.01,0.001,0.0001', '--parallel', String(availableParallelism())], { encoding: 'utf8' });
  const lines = (s: string) => s.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, number>);
  // the run's own line: its training loop, as fluctlab's samples/s counts it (the last line's sweep figure includes
  // Python's start-up and data loading)
  const run = lines(one.stdout).find((l) => 'samples_per_s' in l);
  const wall = lines(sweep.stdout).pop();
  return run && wall ? { samplesPerSecond: run.samples_per_s, sweepSeconds: wall.sweep_wall_s } : null;
}

async function browserSpeed(threads: number): Promise<number | null> {
  const path = new URL('./bench-browser.ts', import.meta.url);
  if (!existsSync(path)) return null;
  const mod = (await import(path.href)) as { benchBrowser?: (threads?: number) => Promise<{ samplesPerSecond: number } | null> };
  return (await mod.benchBrowser?.(threads))?.samplesPerSecond ?? null;
}

const speed = await trainingSpeed();
const overhead = (speed.off / speed.on - 1) * 100;
console.log(`training, default MLP, batch 64, median of ${REPS} interleaved runs of ${TRAIN_LIMIT / 64} steps:`);
console.log(`  recording off  ${k(speed.off)} samples/s`);
console.log(`  recording on   ${k(speed.on)} samples/s   (target ≥ 25.0k)`);
console.log(`  overhead       ${overhead.toFixed(1)}%   (target ≤ 5%)`);
const micro = await recorderMicrobench(REPS);
console.log(`  recorder alone ${median(micro.wasm).toFixed(0)} µs/step in WASM, ${median(micro.js).toFixed(0)} µs/step in JS (${micro.n} parameters; npm run bench:recorder)`);
for (const threads of [1, 2, 4]) {
  const browser = await browserSpeed(threads);
  if (browser === null) break;
  console.log(`  browser (Chromium, recording on, ${threads} WASM thread${threads === 1 ? '' : 's'}) ${k(browser)} samples/s = ${((browser / speed.on) * 100).toFixed(0)}% of Node${threads === 1 ? ' (target ≥ 90%)' : ''}`);
}
const cores = availableParallelism();
const w1 = sweepWall(1);
const wn = sweepWall(cores);
console.log(`4-learning-rate sweep (0.1, 0.01, 0.001, 0.0001; full MNIST, 1 epoch):`);
console.log(`  1 worker   ${w1.seconds.toFixed(1)} s, peak RSS ${w1.maxRssMb.toFixed(0)} MB`);
console.log(`  ${cores} workers  ${wn.seconds.toFixed(1)} s, peak RSS ${wn.maxRssMb.toFixed(0)} MB`);
console.log(`  speed-up   ${(w1.seconds / wn.seconds).toFixed(2)}×   (target ≥ 1.9× on 2 cores)`);
const python = torchPython();
const torch = torchAnchor(python);
if (torch) {
  console.log(`PyTorch anchor (same machine, same minute):`);
  console.log(`  one thread ${k(torch.samplesPerSecond)} samples/s (fluctlab, recording on: ${(speed.on / torch.samplesPerSecond).toFixed(2)}×); 4-LR sweep on ${cores} processes ${torch.sweepSeconds.toFixed(1)} s (fluctlab ${cores} workers: ${(torch.sweepSeconds / wn.seconds).toFixed(2)}× as fast)`);
} else console.log('PyTorch anchor: no Python with torch (make .venv-anchors as ../shared/anchors/README.md shows, or set FLUCTLAB_ANCHOR_PYTHON)');
const lenet = await lenetRow(python);
console.log(`lenet (conv 5×5×6 same, pool, conv 5×5×16, pool, 120, 84, 10; Adam, batch 64, ${LENET_STEPS} steps, one thread, recording on):`);
console.log(`  fluctlab ${k(lenet.fluctlab)} samples/s${lenet.torch ? `; PyTorch ${k(lenet.torch)} samples/s; ratio ${(lenet.fluctlab / lenet.torch).toFixed(2)}×   (target ≥ 0.6×)` : '; PyTorch: not available'}`);
