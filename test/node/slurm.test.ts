/**
 * The README's Slurm job array, run for real on a single-node Slurm cluster that scripts/slurm/cluster.sh starts on
 * this machine: `sbatch --array=0-3 --wait` of scripts/slurm/sweep-array.sh (the README shows that very file), then
 * `fluctlab merge`, which must equal the same sweep run unsharded; and a task killed with scancel mid-run, finished by
 * resubmitting it. Needs root and Debian's slurm-wlm and munge: elsewhere it skips loudly, and under CI=true it fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, recordsOf, sweepWithoutTiming, tmp } from '../helpers/cli.js';

const ROOT = join(__dirname, '..', '..');
const CLUSTER = join(ROOT, 'scripts', 'slurm', 'cluster.sh');
const ARRAY_SCRIPT = join(ROOT, 'scripts', 'slurm', 'sweep-array.sh');
/** The sweep the array shards, unsharded (the flags of sweep-array.sh). */
const SWEEP = ['--lr', '0.3,0.1,0.03,0.01', '--epochs', '2', '--no-report', '--quiet'];

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'not root (slurmd must start jobs)';
  for (const tool of ['sbatch', 'slurmctld', 'slurmd', 'munged', 'mungekey']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} not found (apt-get install -y slurm-wlm munge)`;
  }
  return null;
}

const why = missing();
if (why) {
  if (process.env.CI === 'true')
    throw new Error(`Slurm test: ${why}; CI=true: the job array must run (.ci/run installs slurm-wlm and munge)`);
  process.stderr.write(`\n${'!'.repeat(100)}\n!! SKIPPING the Slurm job-array test: ${why}\n${'!'.repeat(100)}\n\n`);
}

describe.skipIf(why !== null)('a Slurm job array of sweep shards', () => {
  const state = tmp();
  const env = { ...process.env, SLURM_CONF: join(state, 'slurm.conf') };
  let unsharded: string;

  /** A job folder where `npx fluctlab` finds this checkout as an installed package, as on a cluster's shared disk. */
  function jobFolder(): string {
    const dir = tmp();
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    mkdirSync(join(dir, 'results'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'fluctlab'));
    symlinkSync('../fluctlab/bin/fluctlab.js', join(dir, 'node_modules', '.bin', 'fluctlab'));
    copyFileSync(ARRAY_SCRIPT, join(dir, 'sweep-array.sh'));
    return dir;
  }
  const slurm = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8' });
  const merge = (dir: string) => {
    const shards = [0, 1, 2, 3].map((i) => `results/shard-${i}`);
    const m = cli(['merge', ...shards, '--out', 'results/merged', '--quiet'], dir);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(recordsOf(join(dir, 'results', 'merged'))).toEqual(recordsOf(unsharded));
    expect(sweepWithoutTiming(join(dir, 'results', 'merged'))).toEqual(sweepWithoutTiming(unsharded));
    expect(existsSync(join(dir, 'results', 'merged', 'report.html'))).toBe(true);
  };

  beforeAll(() => {
    execFileSync(CLUSTER, ['start', state], { stdio: 'inherit' });
    unsharded = join(tmp(), 'all');
    const r = cli(['sweep', ...SWEEP, '--out', unsharded]);
    expect(r.stderr).toBe('');
  }, 300_000);

  afterAll(() => {
    execFileSync(CLUSTER, ['stop', state], { stdio: 'inherit' });
  });

  it('runs the job-array script of docs/scaling.md as it is there', () => {
    const page = readFileSync(join(ROOT, 'docs', 'scaling.md'), 'utf8');
    expect(page).toContain(`\`\`\`sh\n${readFileSync(ARRAY_SCRIPT, 'utf8')}\`\`\``);
  });

  it('sbatch --array=0-3 --wait, then fluctlab merge: the same sweep as unsharded, bit for bit', () => {
    const dir = jobFolder();
    slurm('sbatch', ['--array=0-3', '--wait', 'sweep-array.sh'], dir);
    for (const i of [0, 1, 2, 3])
      expect(existsSync(join(dir, 'results', `shard-${i}`, 'sweep.json')), `shard ${i}`).toBe(true);
    merge(dir);
  }, 300_000);

  it('finishes a task killed with scancel mid-run when it is resubmitted', async () => {
    const dir = jobFolder();
    const job = slurm('sbatch', ['--parsable', '--array=0-3', 'sweep-array.sh'], dir).trim().split(';')[0];
    const shard1 = join(dir, 'results', 'shard-1');
    // kill task 1 once it has started its sweep (its manifest is written before training)
    for (let t = 0; !existsSync(join(shard1, 'manifest.json')); t++) {
      if (t > 1200) throw new Error('task 1 did not start within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    slurm('scancel', [`${job}_1`], dir);
    for (let t = 0; slurm('squeue', ['-h', '-j', job], dir).trim() !== ''; t++) {
      if (t > 1200) throw new Error('the array did not end within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(shard1, 'sweep.json')), 'task 1 had finished before scancel reached it').toBe(false);
    const m = cli(['merge', ...[0, 1, 2, 3].map((i) => `results/shard-${i}`), '--out', 'results/merged'], dir);
    expect(m.code).toBe(2); // an unfinished shard is refused
    slurm('sbatch', ['--array=1', '--wait', 'sweep-array.sh'], dir);
    merge(dir);
  }, 300_000);
});
