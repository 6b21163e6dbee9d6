/**
 * <fluct-sweep> on a plain HTML page (a "blog post") that includes nothing but
 * the one module script, served from a folder beside a copy of dist/web by a
 * host without isolation headers (as most blogs are); and from another origin
 * than the post's, as a static host that sends CORS headers would serve it.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDir } from '../../src/cli/commands/serve.js';
import { startStaticServer, type StaticServer } from '../../src/node/staticServer.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { tmp } from '../helpers/cli.js';

const chromium = requireBrowser('element');

const POST = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A post about learning rates</title><link rel="icon" href="data:,"></head>
<body>
<h1>Learning rates and fluctuations</h1>
<p>Press Run to train three learning rates on 1,280 MNIST images, in your browser.</p>
<fluct-sweep id="good" lrs="0.1,0.01,0.001" epochs="1" train-limit="1280" window-steps="5"></fluct-sweep>
<fluct-sweep id="bad" lrs="0.1,fast" epochs="0"></fluct-sweep>
<script type="module" src="../fluctlab/fluct-sweep.js"></script>
</body>
</html>
`;

/** A bare static host: no CSP, no COOP/COEP/CORP, and `Access-Control-Allow-Origin: *` when `cors` (as GitHub Pages). */
async function bareHost(root: string, cors: boolean): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    try {
      const body = readFileSync(join(root, path));
      res.writeHead(200, {
        'Content-Type': types[extname(path)] ?? 'application/octet-stream',
        ...(cors ? { 'Access-Control-Allow-Origin': '*' } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe.skipIf(!chromium)('<fluct-sweep>', () => {
  let server: StaticServer;
  beforeAll(async () => {
    if (!existsSync(join(webDir(), 'index.html'))) throw new Error(`${webDir()} has no page: run npm run build first`);
    const site = tmp();
    cpSync(webDir(), join(site, 'fluctlab'), { recursive: true });
    mkdirSync(join(site, 'blog'));
    writeFileSync(join(site, 'blog', 'post.html'), POST);
    server = await startStaticServer({ root: site, host: '127.0.0.1', port: 0, isolate: false });
  });
  afterAll(() => server?.close());

  it('runs a sweep from its attributes on a page with only its module script, and refuses bad attributes visibly', async () => {
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}blog/post.html`);
      expect(await page.$$eval('script', (s) => s.map((x) => x.getAttribute('src')))).toEqual([
        '../fluctlab/fluct-sweep.js',
      ]);

      const bad = page.locator('#bad');
      await expect.poll(() => bad.getAttribute('state'), { timeout: 20_000 }).toBe('invalid'); // once the module has loaded
      expect(await bad.locator('[part=error]').innerText()).toBe(
        'lrs: "fast" is not a number: use positive numbers separated by commas: e.g. 0.1,0.01 · epochs: "0" must be a whole number from 1 to 100: e.g. 1',
      );
      expect(await bad.locator('[part=run]').isDisabled()).toBe(true);

      const good = page.locator('#good');
      expect(await good.getAttribute('state')).toBe('ready');
      expect(await good.locator('[part=summary]').innerText()).toBe(
        'Learning-rate sweep: 3 runs (η 0.1, 0.01, 0.001) · mlp:128,64 · 1 epoch · sgd · 1280 examples',
      );
      await good.locator('[part=run]').click();
      await page.locator('#good[state=done]').waitFor({ timeout: 90_000 });
      expect(
        await good.locator('tr[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
      ).toEqual(['ok', 'ok', 'ok']);
      expect(await good.locator('[part=environment]').innerText()).toMatch(
        /^wasm SIMD, 1 thread × 2 workers, not isolated, tfjs 4\.22\.0$/,
      );
      expect(await good.locator('[part=result] svg .mark-symbol path').count()).toBeGreaterThanOrEqual(3); // the accuracy chart's points

      const download = page.waitForEvent('download');
      await good.locator('[part=download]').click();
      const records = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
      expect(records.map((r: { id: string; steps: number }) => [r.id, r.steps])).toEqual([
        ['lr0.1-seed1', 20],
        ['lr0.01-seed1', 20],
        ['lr0.001-seed1', 20],
      ]);

      // fixing the attribute clears the message and enables Run
      await bad.evaluate((el) => {
        el.setAttribute('lrs', '0.1,0.05');
        el.setAttribute('epochs', '1');
      });
      await expect.poll(() => bad.getAttribute('state')).toBe('ready');
      expect(await bad.locator('[part=error]').innerText()).toBe('');
      expect(await bad.locator('[part=run]').isEnabled()).toBe(true);

      // the data attribute: a bad shapes spec is refused; a shapes autoencoder trains on data generated in the page
      await bad.evaluate((el) => el.setAttribute('data', 'shapes:size=2'));
      await expect.poll(() => bad.getAttribute('state')).toBe('invalid');
      expect(await bad.locator('[part=error]').innerText()).toBe(
        'data: shapes size=2 must be an integer from 8 to 256: e.g. size=28',
      );
      await bad.evaluate((el) => {
        for (const [k, v] of Object.entries({
          data: 'shapes:train=128,test=32',
          model: 'ae:16,4',
          optimizer: 'adam',
          lrs: '0.01',
          batch: '32',
        }))
          el.setAttribute(k, v);
      });
      await expect.poll(() => bad.getAttribute('state')).toBe('ready');
      expect(await bad.locator('[part=summary]').innerText()).toBe(
        'Learning-rate sweep: 1 run (η 0.01) · shapes:train=128,test=32 · ae:16,4 · 1 epoch · adam',
      );
      await bad.locator('[part=run]').click();
      await page.locator('#bad[state=done]').waitFor({ timeout: 60_000 });
      expect(await bad.locator('th').nth(5).innerText()).toBe('test PSNR');
      expect(await bad.locator('tr[data-run] td[data-col="test accuracy"]').innerText()).toMatch(/^\d+(\.\d+)? dB$/);
      expect(await bad.locator('[part=result] svg .mark-symbol path').count()).toBeGreaterThanOrEqual(1); // the PSNR chart's point
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
    }
  });

  it('runs when fluct-sweep.js comes from another origin whose host sends CORS headers', async () => {
    const site = await bareHost(webDir(), true);
    const blogDir = tmp();
    const blog = await bareHost(blogDir, false);
    // another origin: localhost and 127.0.0.1 are different origins
    writeFileSync(
      join(blogDir, 'post.html'),
      POST.replace('../fluctlab/fluct-sweep.js', `${site.url.replace('127.0.0.1', 'localhost')}fluct-sweep.js`),
    );
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${blog.url}post.html`);
      await page.locator('#good[state=ready]').waitFor();
      await page.locator('#good [part=run]').click();
      await page.locator('#good[state=done]').waitFor({ timeout: 90_000 });
      expect(
        await page.locator('#good tr[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
      ).toEqual(['ok', 'ok', 'ok']);
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      site.server.close();
      blog.server.close();
    }
  });
});
