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
 */

/** Workers and threads per worker for a sweep. */
export interface PoolPlan {
  workers: number;
  threads: number;
}

/** Splits `cores` (navigator.hardwareConcurrency) between `runs` runs. */
export function planPool(runs: number, cores: number, isolated: boolean): PoolPlan {
  const c = Math.max(1, Math.floor(cores) || 1);
  const workers = Math.max(1, Math.min(runs, c));
  const tfjsCap = Math.min(8, Math.floor(c / 2));
  return { workers, threads: isolated ? Math.max(1, Math.min(tfjsCap, Math.floor(c / workers))) : 1 };
}
