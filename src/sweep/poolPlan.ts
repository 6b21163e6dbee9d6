/**
 * How many Web Workers a sweep gets and how many WASM threads each: the cores
 * are split between runs first (runs are independent, so parallel runs scale
 * best), and threads are given only where the page is cross-origin isolated
 * (the threaded WASM build needs SharedArrayBuffer) and cores are left over.
 *
 * tfjs-wasm 4.22 caps its thread pool at min(8, cores / 2) (it assumes two
 * hyper-threads per core); a plan of one thread selects the single-threaded
 * SIMD build, the same binary Node runs.
 *
 *     planPool(8, 4, true)   // { workers: 4, threads: 1 }
 *     planPool(1, 8, true)   // { workers: 1, threads: 4 }
 *     planPool(1, 8, false)  // { workers: 1, threads: 1 }
 *     planPool(3, 8, true, 2) // { workers: 3, threads: 2 }: the user's choice of threads per worker
 *
 * A chosen thread count (the page's Threads field) is used as it is, up to MAX_THREADS, and the workers are what the
 * cores leave: runs fewer than cores (the paper study's 3 learning rates on an 8-core laptop) can go faster this way.
 */

/** The most WASM threads a worker may be given (tfjs-wasm's own cap). */
export const MAX_THREADS = 8;

/** Workers and threads per worker for a sweep. */
export interface PoolPlan {
  workers: number;
  threads: number;
}

/** Splits `cores` (navigator.hardwareConcurrency) between `runs` runs; `threads` (1…MAX_THREADS) fixes the threads per worker. */
export function planPool(runs: number, cores: number, isolated: boolean, threads?: number): PoolPlan {
  const c = Math.max(1, Math.floor(cores) || 1);
  if (threads !== undefined) return { workers: Math.max(1, Math.min(runs, Math.floor(c / threads))), threads };
  const workers = Math.max(1, Math.min(runs, c));
  const tfjsCap = Math.min(8, Math.floor(c / 2));
  return { workers, threads: isolated ? Math.max(1, Math.min(tfjsCap, Math.floor(c / workers))) : 1 };
}

/** The Threads field: empty or "auto" (the plan above), or 1…MAX_THREADS, which needs a cross-origin-isolated page beyond 1. */
export function parseThreads(
  value: string | null | undefined,
  isolated: boolean,
): { ok: true; threads: number | undefined } | { ok: false; error: string } {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'auto') return { ok: true, threads: undefined };
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_THREADS)
    return { ok: false, error: `threads must be auto or a whole number from 1 to ${MAX_THREADS}, not ${v}` };
  if (Number(v) > 1 && !isolated)
    return {
      ok: false,
      error:
        'more than one thread needs a cross-origin-isolated page: open it through fluctlab serve, or with ?isolate',
    };
  return { ok: true, threads: Number(v) };
}
