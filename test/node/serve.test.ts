import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRequestPath, startStaticServer, type StaticServer } from '../../src/node/staticServer.js';
import { cli, serveCli, tmp } from '../helpers/cli.js';

/** A served folder `site/` with a secret file beside it (outside the folder) and a link pointing out. */
function fixture(): { root: string; site: string } {
  const root = tmp();
  const site = join(root, 'site');
  mkdirSync(join(site, 'sub'), { recursive: true });
  mkdirSync(join(site, '.git'));
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>site</title>');
  writeFileSync(join(site, 'sub', 'x.js'), 'export {};');
  writeFileSync(join(site, 'm.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
  writeFileSync(join(site, '.git', 'config'), 'hidden');
  mkdirSync(join(site, '%2e%2e'));
  writeFileSync(join(site, '%2e%2e', 'secret.txt'), 'a file really named so');
  symlinkSync(join(root, 'secret.txt'), join(site, 'link.txt'));
  return { root, site };
}

/** Sends a request with the target exactly as given (fetch and URL would normalise it) and returns the raw response. */
function rawRequest(
  url: string,
  target: string,
  method = 'GET',
): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => {
      const [head, body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
    socket.on('error', reject);
  });
}

describe('resolveRequestPath', () => {
  const { site } = fixture();

  it.each([
    ['/', 'index.html'],
    ['/index.html?x=1', 'index.html'],
    ['/sub/x.js', join('sub', 'x.js')],
    ['/%2525252e%2525252e/secret.txt', null], // decoded once: a harmless literal name that does not exist
    ['/%252e%252e/secret.txt', join('%2e%2e', 'secret.txt')], // decoded once to a real folder named "%2e%2e", inside
  ])('serves %s from inside the folder', (target, file) => {
    const r = resolveRequestPath(site, target);
    if (file === null) expect(r.status).toBe(404);
    else expect(r).toMatchObject({ status: 200, file: join(site, file) });
  });

  it.each([
    '/../secret.txt',
    '/sub/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/sub%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/sub/%2e%2e%5c%2e%2e%5csecret.txt',
    '/%00secret.txt',
    '/link.txt',
  ])('refuses %s with 403', (target) => {
    expect(resolveRequestPath(site, target).status).toBe(403);
  });

  it('answers 400 for a malformed encoding and for a target that is not a path', () => {
    expect(resolveRequestPath(site, '/%zz').status).toBe(400);
    expect(resolveRequestPath(site, 'secret.txt').status).toBe(400);
  });

  it('does not serve hidden files or folders without an index', () => {
    expect(resolveRequestPath(site, '/.git/config').status).toBe(404);
    expect(resolveRequestPath(site, '/sub/').status).toBe(404);
  });

  it("serves a result folder's report.html at /", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'report.html'), '<!doctype html><title>report</title>');
    expect(resolveRequestPath(dir, '/')).toMatchObject({ status: 200, file: join(dir, 'report.html') });
  });
});

describe('the static server', () => {
  const { site } = fixture();
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({ root: site, host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/..\\secret.txt',
    '/link.txt',
  ])('never sends the file outside for %s', async (target) => {
    const r = await rawRequest(server.url, target);
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('TOP SECRET');
  });

  it('sends the isolation headers, a restrictive CSP and the right types', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${server.url}m.wasm`)).headers.get('content-type')).toBe('application/wasm');
  });

  it('answers only GET and HEAD', async () => {
    expect((await rawRequest(server.url, '/', 'POST')).status).toBe(405);
    const head = await rawRequest(server.url, '/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('leaves out COOP/COEP when asked to behave like a plain static host', async () => {
    const plain = await startStaticServer({ root: site, host: '127.0.0.1', port: 0, isolate: false });
    try {
      const r = await fetch(plain.url);
      expect(r.headers.get('cross-origin-embedder-policy')).toBeNull();
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      await plain.close();
    }
  });
});

describe('fluctlab serve', () => {
  it('prints its URL on 127.0.0.1, serves the folder and stops on Ctrl-C with exit 0', async () => {
    const { site } = fixture();
    const { url, child } = await serveCli([site]);
    const page = await fetch(url);
    expect(await page.text()).toContain('<title>site</title>');
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    child.kill('SIGINT');
    expect(await new Promise((r) => child.once('exit', (c) => r(c)))).toBe(0);
  });

  it("serves a result folder's self-contained report.html, allowing its inline styles but no inline script", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'report.html'), '<!doctype html><style>h1{color:red}</style><h1>report</h1>');
    const { url, child } = await serveCli([dir]);
    try {
      const page = await fetch(url);
      expect(await page.text()).toContain('<h1>report</h1>');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' blob:;/);
    } finally {
      child.kill('SIGINT');
    }
  });

  it.each([
    [['serve', '/no/such/folder'], /not a folder/],
    [['serve', '--port', 'http'], /--port "http" is not a number/],
    [['serve', '--port', '70000'], /not a port/],
    [['serve', 'a', 'b'], /one folder/],
  ])('refuses %j with one line and exit 2', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a folder with nothing to serve, and a port already taken', async () => {
    const empty = tmp();
    expect(cli(['serve', empty]).stderr).toMatch(/no index.html or report.html/);
    const { site } = fixture();
    const busy = await startStaticServer({ root: site, host: '127.0.0.1', port: 0 });
    try {
      const r = cli(['serve', site, '--port', new URL(busy.url).port]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is in use/);
    } finally {
      await busy.close();
    }
  });
});
