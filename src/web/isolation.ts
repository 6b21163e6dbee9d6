/**
 * The service-worker option for cross-origin isolation (coi-sw.js), for hosts
 * that cannot send COOP/COEP headers. Opt-in: opening the page with `?isolate`
 * registers the service worker and reloads once; from then on every load of
 * the site in that browser is isolated. `?isolate=off` unregisters it.
 */
import { env } from '../contract/host.js';
import { siteUrl } from '../sweep/site.js';

const RELOADED = 'fluctlab-isolation-reloaded';

/** Registers or unregisters the isolation service worker as the URL asks; does nothing otherwise. */
export function registerIsolationWorker(): void {
  const wish = new URLSearchParams(location.search).get('isolate');
  if (wish === null || !env.serviceWorkers) return;
  if (wish === 'off') {
    // Reload once it is gone: this load went through the worker and is still isolated.
    void navigator.serviceWorker
      .getRegistrations()
      .then((regs) => Promise.all(regs.map((r) => r.unregister())))
      .then((done) => done.some(Boolean) && location.replace(location.pathname));
    return;
  }
  if (env.crossOriginIsolated) return;
  // One reload per tab session: if the reload did not isolate the page, the browser will not let it be isolated.
  const reloadOnce = () => {
    if (sessionStorage.getItem(RELOADED)) return;
    sessionStorage.setItem(RELOADED, '1');
    location.reload();
  };
  navigator.serviceWorker.register(siteUrl('coi-sw.js')).then(
    () => {
      if (navigator.serviceWorker.controller) reloadOnce();
      else navigator.serviceWorker.addEventListener('controllerchange', reloadOnce);
    },
    (e) => console.warn(`fluctlab: the isolation service worker did not register: ${(e as Error)?.message ?? e}`),
  );
}
