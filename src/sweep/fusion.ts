/**
 * Which runs of a sweep train together as fused groups (core/training/run.ts `trainRuns`): runs that share a seed see
 * the same batches in the same order, so they can step side by side as one program, and each run's record is
 * byte-identical to the run trained alone. Grouping therefore changes only the speed, never a record.
 *
 *     planGroups({ model: 'mlp:128,64' }, [1, 0.3, 0.1, 0.03].map((lr) => ({ lr, seed: 1 })), 2, 'auto')
 *     // two groups: lr 1 and 0.3, lr 0.1 and 0.03
 */
import { UsageError } from '../contract/errors.js';
import type { RunSpec, SweepConfig } from '../contract/config.js';
import { modelPlan } from '../engine/training/modelPlan.js';
import type { Dataset } from '../engine/data/dataset.js';
import { fusableModel } from '../contract/modelSpec.js';

export const FUSE_MODES = ['auto', 'on', 'off'] as const;
/** auto: fuse where the model allows, as far as the lanes stay busy; on: every seed's runs in one group, or refuse; off: every run on its own. */
export type FuseMode = (typeof FUSE_MODES)[number];

/**
 * The most runs in one group: past this the group's activations and moments outgrow the caches and the shared
 * dispatch is already a small part of the step.
 */
export const MAX_GROUP = 8;

/**
 * The largest model `auto` fuses, in parameters. Fusion saves the per-op dispatch of all but one run of a group, not
 * arithmetic (dispatch is ~6% of the default MLP's 1.1 ms step: `npm run profile`), and a group's products ran 5–20%
 * slower per run than alone (profiled on ae:128,32; likely the cache). Measured (2026-12-04, one core, 200 steps a run,
 * 20 windows, 4 and 8 runs fused against the same runs one at a time, medians of 3 interleaved): mlp:8 (6.4k
 * parameters) 2.3–2.4× faster fused, mlp:32 (25k) 1.3–1.6×, mlp:64 (51k) 1.2–1.4×; mlp:96 (76k) 0.93–1.21×, mlp:128
 * (102k) 0.84–0.96×, the default mlp:128,64 (109k) 0.67–1.04× (`npm run bench`: 0.85–0.92×). So `auto` fuses below
 * 2^16 parameters, where every measurement gained, and the 1.06M-parameter autoencoder of `fluctlab reproduce` (50–58 s
 * a run fused against 44–51 s alone) and the default MLP train one run at a time.
 */
export const FUSE_MAX_PARAMETERS = 2 ** 16;

/** What planning needs of the data set: the input's shape and the classes, which fix the model's size. */
export type DataShape = Pick<Dataset, 'rows' | 'cols' | 'channels' | 'numClasses'>;

/** Parses --fuse. */
export function parseFuse(value: string | undefined): FuseMode {
  if (value === undefined) return 'auto';
  if ((FUSE_MODES as readonly string[]).includes(value)) return value as FuseMode;
  throw new UsageError(`--fuse must be auto, on or off, not "${value}"`);
}

/** Whether a sweep of this model trains fused under `fuse`; refuses `on` for a model that cannot (before anything is written). */
export function fuses(config: Pick<SweepConfig, 'model'>, fuse: FuseMode): boolean {
  const fusable = fusableModel(config.model);
  if (fuse === 'on' && !fusable)
    throw new UsageError(
      `--fuse on needs a model of dense layers and activations; "${config.model}" has conv or pool layers, whose runs train one at a time: use --fuse auto or off`,
    );
  return fuse !== 'off' && fusable;
}

/**
 * The runs as groups, at most MAX_GROUP runs each, in sweep order within a seed. `on`: each seed's runs in one group
 * (split only past MAX_GROUP), even when lanes stay idle. `auto`: the largest groups whose makespan on `lanes` lanes
 * (largest group first to the least-loaded lane, as the lanes pull them) is no longer than the runs' one at a time:
 * 4 runs of a seed on 2 lanes make 2 groups of 2; 3 seeds of 3 runs on 2 lanes make groups of 2 and 1, not 3 groups
 * of 3 that would leave one lane idle for a third of the sweep. `off`, a model with conv or pool layers under `auto`,
 * or one above FUSE_MAX_PARAMETERS for `data` under `auto`, gives one run per group; `on` refuses a conv model and
 * fuses a large one. Groups come largest first.
 */
export function planGroups(
  config: Pick<SweepConfig, 'model'>,
  runs: readonly RunSpec[],
  lanes: number,
  fuse: FuseMode,
  data?: DataShape,
): RunSpec[][] {
  if (!fuses(config, fuse) || runs.length === 0) return runs.map((r) => [r]);
  if (fuse === 'auto' && data && modelPlan(config, data).paramCount > FUSE_MAX_PARAMETERS) return runs.map((r) => [r]);
  const bySeed = new Map<number, RunSpec[]>();
  for (const r of runs) bySeed.set(r.seed, [...(bySeed.get(r.seed) ?? []), r]);
  const seeds = [...bySeed.values()];
  const split = (size: number) => seeds.flatMap((g) => chunks(g, Math.ceil(g.length / size)));
  const largest = Math.min(MAX_GROUP, Math.max(...seeds.map((g) => g.length)));
  let groups = split(largest);
  if (fuse === 'auto') {
    const alone = Math.ceil(runs.length / Math.max(1, lanes));
    for (let size = largest; size >= 1; size--) {
      groups = split(size);
      if (
        makespan(
          groups.map((g) => g.length),
          lanes,
        ) <= alone
      )
        break;
    }
  }
  return groups
    .map((g, i) => ({ g, i }))
    .sort((a, b) => b.g.length - a.g.length || a.i - b.i)
    .map(({ g }) => g);
}

/** Runs on the busiest lane when tasks of these sizes go, largest first, each to the least-loaded of `lanes` lanes. */
function makespan(sizes: number[], lanes: number): number {
  const load = new Array<number>(Math.max(1, lanes)).fill(0);
  for (const s of [...sizes].sort((a, b) => b - a)) load[load.indexOf(Math.min(...load))] += s;
  return Math.max(...load);
}

/** `items` in `n` consecutive parts of nearly equal size (the first ones larger). */
function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.ceil((items.length - start) / (n - i));
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}
