/**
 * The anchors `npm run bench` runs beside fluctlab, in the same minute: PyTorch and JAX on the same MNIST workloads, from
 * ../shared/anchors (torch_sweep.py, jax_sweep.py) and scripts/anchors/lenet_torch.py. Each returns null where no
 * Python with the library is found: $FLUCTLAB_ANCHOR_PYTHON, .venv-anchors/bin/python (made as
 * ../shared/anchors/README.md shows), then /usr/bin/python3. JAX runs pinned to one core (taskset) for the per-core rows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../src/contract/configure.js';
import { mnistDir } from '../src/node/mnist.js';

/** The 8 learning rates of the per-core sweep row: none diverges with SGD on this MLP, so every run trains every step. */
export const SWEEP8 = [0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005];

/** The first Python that imports `module` (torch, jax), or null. */
export function anchorPython(module: string): string | null {
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
export function jaxAnchor(python: string | null): { single: number; sweep8: number; sweepSeconds: number } | null {
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

/** PyTorch's LeNet (lenet_torch.py): `steps` Adam steps on one thread; samples/s, or null. */
export function torchLenet(python: string | null, steps: number): number | null {
  if (!python) return null;
  const r = spawnSync(
    python,
    [join(import.meta.dirname, 'anchors', 'lenet_torch.py'), mnistDir(), '--steps', String(steps), '--threads', '1'],
    { encoding: 'utf8' },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return line.startsWith('{') ? JSON.parse(line).samples_per_s : null;
}

export function torchAnchor(
  python: string | null,
): { samplesPerSecond: number; sweep8: number; sweepSeconds: number } | null {
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
