/**
 * The environment panel: what a sweep runs on. Host facts come from the one
 * env module; backend facts (WASM build, SIMD, threads, versions) from a
 * worker, which is where training happens.
 *
 *     showEnvironment(dl, envFacts(workerEnvironment, plan));
 */
import { env } from '../contract/host.js';
import type { Environment } from '../contract/record.js';
import { FLUCTLAB_VERSION } from '../contract/version.js';
import { h } from './dom.js';
import type { PoolPlan } from '../sweep/poolPlan.js';

/** One labelled fact; `key` is a stable name for tests and styling. */
export interface EnvFact {
  key: string;
  label: string;
  value: string;
}

/** The facts to show; `worker` is null until a worker has reported. */
export function envFacts(worker: Environment | null, plan: PoolPlan | null): EnvFact[] {
  const pending = 'starting…';
  const isolation = env.crossOriginIsolated
    ? 'cross-origin isolated: shared memory and WASM threads available'
    : 'not isolated: data is copied to each worker, WASM runs single-threaded (serve with COOP/COEP headers, or see the README for the service-worker option)';
  return [
    { key: 'backend', label: 'backend', value: worker ? `TensorFlow.js ${worker.backend}` : pending },
    { key: 'simd', label: 'SIMD', value: worker ? (worker.simd ? 'yes' : 'no') : pending },
    { key: 'threads', label: 'threads per worker', value: worker ? String(worker.threads) : pending },
    {
      key: 'workers',
      label: 'workers',
      value: plan
        ? `${plan.workers} (of ${env.hardwareConcurrency} logical cores)`
        : `up to ${env.hardwareConcurrency}`,
    },
    { key: 'isolation', label: 'isolation', value: isolation },
    { key: 'versions', label: 'versions', value: `fluctlab ${FLUCTLAB_VERSION}, tfjs ${worker?.tfjsVersion ?? '…'}` },
    { key: 'runtime', label: 'browser', value: env.runtime },
  ];
}

/** Replaces the content of a <dl> with the facts. */
export function showEnvironment(dl: HTMLElement, facts: EnvFact[]): void {
  dl.replaceChildren(...facts.flatMap((f) => [h('dt', {}, f.label), h('dd', { 'data-env': f.key }, f.value)]));
}
