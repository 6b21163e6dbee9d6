/**
 * coi-sw.js: a service worker that makes the site cross-origin isolated on
 * hosts that cannot send headers (GitHub Pages and other plain static hosts).
 * It answers every request of the page from the network, adding the headers a
 * server like `fluctlab serve` would send:
 *
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 *   Cross-Origin-Resource-Policy: same-origin (same-origin responses only)
 *
 * The page registers it only when asked (index.html?isolate; see isolation.ts)
 * and reloads once, so that the next load goes through it. Self-contained: no
 * imports, so it runs as a classic service worker script.
 */

interface FetchEventLike extends Event {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
  addEventListener(
    type: 'install' | 'activate',
    cb: (e: Event & { waitUntil(p: Promise<unknown>): void }) => void,
  ): void;
  addEventListener(type: 'fetch', cb: (e: FetchEventLike) => void): void;
}

const sw = self as unknown as ServiceWorkerScope;

sw.addEventListener('install', () => void sw.skipWaiting());
sw.addEventListener('activate', (e) => e.waitUntil(sw.clients.claim()));

sw.addEventListener('fetch', (e) => {
  const request = e.request;
  // Requests the browser may only answer from its cache cannot go to the network from here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  e.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response; // opaque: its headers cannot be read or changed
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      if (new URL(response.url || request.url).origin === sw.location.origin)
        headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
