/**
 * Learning-rate schedule specs (engine/training/schedule.ts applies them per optimizer step). A run's learning rate
 * (the sweep's `lr`) is the schedule's peak; the schedule says which fraction
 * of it is in force at step t of T. Written as a spec string so a config stays
 * JSON and a command line can name it:
 *
 *     constant                 η_t = η
 *     step:<every>,<gamma>     η_t = η · γ^⌊t / every⌋                       (PyTorch StepLR)
 *     cosine                   η_t = η · ½ (1 + cos(π t / T))                (CosineAnnealingLR, T_max = T, η_min = 0)
 *     warmup:<W>[+<schedule>]  η_t = η · (t + 1) / W for t < W, then <schedule> (default constant) over the T − W steps left
 *     onecycle                 PyTorch OneCycleLR's learning rate (cos annealing, pct_start 0.3, div_factor 25,
 *                              final_div_factor 1e4): from η/25 up to η at step 0.3·T − 1, then down to η/25e4 at T − 1
 *
 *     const s = parseSchedule('warmup:100+cosine');
 *     scheduledLr(s, 0.1, 150, 1000); // the learning rate in force at step 150 of 1000
 */
import { UsageError } from './errors.js';
import { isDecimal } from './settingKinds.js';

/** A parsed schedule. */
export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; gamma: number }
  | { kind: 'cosine' }
  | { kind: 'warmup'; steps: number; then: Exclude<Schedule, { kind: 'warmup' }> }
  | { kind: 'onecycle' };

/** PyTorch OneCycleLR defaults (the learning-rate half of it; momentum is not cycled here). */
export const ONECYCLE = { pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 };

const FIX =
  'use constant, step:<every>,<gamma> (e.g. step:300,0.5), cosine, warmup:<steps>[+<schedule>] (e.g. warmup:100+cosine) or onecycle';

/** Parses a schedule spec; a UsageError names what is wrong and lists the forms. */
export function parseSchedule(spec: string): Schedule {
  const s = spec.trim();
  const warm = /^warmup:([^+]*)(?:\+(.*))?$/.exec(s);
  if (warm) {
    const steps = Number(warm[1]);
    if (!/^\d+$/.test(warm[1].trim()) || steps < 1)
      throw new UsageError(`schedule "${spec}": warmup needs a whole number of steps ≥ 1, e.g. warmup:100+cosine`);
    const then = warm[2] === undefined ? ({ kind: 'constant' } as const) : parseSchedule(warm[2]);
    if (then.kind === 'warmup') throw new UsageError(`schedule "${spec}": a warmup cannot follow a warmup: ${FIX}`);
    return { kind: 'warmup', steps, then };
  }
  if (s === 'constant' || s === 'cosine' || s === 'onecycle') return { kind: s };
  const step = /^step:([^,]*),(.*)$/.exec(s);
  if (step) {
    const every = Number(step[1]);
    const gamma = Number(step[2]);
    if (!/^\d+$/.test(step[1].trim()) || every < 1)
      throw new UsageError(
        `schedule "${spec}": the step interval must be a whole number of steps ≥ 1, e.g. step:300,0.5`,
      );
    if (!isDecimal(step[2]) || !Number.isFinite(gamma) || gamma <= 0)
      throw new UsageError(`schedule "${spec}": gamma must be a positive number, e.g. step:300,0.5`);
    return { kind: 'step', every, gamma };
  }
  throw new UsageError(`schedule "${spec}" does not parse: ${FIX}`);
}

/** The canonical spec of a schedule (what configs store). */
export function scheduleSpec(s: Schedule): string {
  if (s.kind === 'step') return `step:${s.every},${s.gamma}`;
  if (s.kind === 'warmup')
    return s.then.kind === 'constant' ? `warmup:${s.steps}` : `warmup:${s.steps}+${scheduleSpec(s.then)}`;
  return s.kind;
}
