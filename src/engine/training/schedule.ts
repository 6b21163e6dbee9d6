/**
 * Learning-rate schedules, applied per optimizer step. A run's learning rate
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
import { detCos, detPow } from '../detMath.js';
import type { Schedule } from '../../contract/schedule.js';
import { ONECYCLE } from '../../contract/schedule.js';

/** The learning rate in force at step t (0-based) of a run of `total` steps whose peak is `peak`. */
export function scheduledLr(s: Schedule, peak: number, t: number, total: number): number {
  switch (s.kind) {
    case 'constant':
      return peak;
    case 'step':
      return peak * detPow(s.gamma, Math.floor(t / s.every));
    case 'cosine':
      return peak * 0.5 * (1 + detCos((Math.PI * t) / total));
    case 'warmup':
      return t < s.steps
        ? (peak * (t + 1)) / s.steps
        : scheduledLr(s.then, peak, t - s.steps, Math.max(1, total - s.steps));
    case 'onecycle':
      return oneCycleLr(peak, t, total);
  }
}

/** PyTorch OneCycleLR (anneal_strategy 'cos', three_phase False), transcribed from torch/optim/lr_scheduler.py. */
function oneCycleLr(peak: number, t: number, total: number): number {
  const initial = peak / ONECYCLE.divFactor;
  const min = initial / ONECYCLE.finalDivFactor;
  const upEnd = ONECYCLE.pctStart * total - 1;
  const cos = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (detCos(Math.PI * pct) + 1);
  if (t <= upEnd) return cos(initial, peak, upEnd > 0 ? t / upEnd : 1);
  const downEnd = total - 1;
  return cos(peak, min, downEnd > upEnd ? (t - upEnd) / (downEnd - upEnd) : 1);
}
