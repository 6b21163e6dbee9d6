/**
 * The claim of the product: a sweep in a browser tab is the same computation as
 * a sweep in a terminal. The page trains 2 learning rates × 200 steps (12,800
 * MNIST examples, batch 64) in Web Workers of headless Chromium; the command
 * line runs the command the page itself prints; the RunRecords must be
 * byte-identical apart from timing and environment. The same holds for the
 * shapes data set, generated in the page instead of downloaded, with a small
 * autoencoder (2 learning rates × 8 Adam steps), and for a small conv net (every layer type: conv same and valid,
 * max and average pools, ReLU, GELU, tanh), whose kernels (im2col, col2im, the max-pool gradient) run in the workers.
 * A sweep fused in the page (`fuse=on`: the runs of a seed in one group in one worker) gives the records of the same
 * runs trained one at a time in Node, a diverging run included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDir } from '../../src/cli/commands/serve.js';
import { startStaticServer } from '../../src/node/staticServer.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { cli, tmp } from '../helpers/cli.js';

const chromium = requireBrowser('parity');
const QUERY = 'lrs=0.1,0.01&train-limit=12800&batch=64';
const SHAPES_QUERY = 'data=shapes:train=256,test=64&model=ae:32,8&optimizer=adam&lrs=0.01,0.001&epochs=2';
const CONV_MODEL = 'layers:standardize,conv3x3x4:same,relu,maxpool2,conv3x3x6:valid,gelu,avgpool2,flatten,dense16,tanh';
const CONV_QUERY = `data=shapes:train=128,test=32,size=16&model=${CONV_MODEL}&optimizer=adam&lrs=0.01&epochs=1&batch=32&window-steps=2`;

type Json = Record<string, unknown>;

/** A record as JSON text without the fields allowed to differ. */
function deterministicText(r: Json): string {
  const { timing: _t, environment: _e, ...rest } = r;
  return JSON.stringify(rest);
}

/** Runs the page's sweep in a fresh browser; returns the downloaded records, the command the page printed and the URLs it requested. */
async function browserSweep(
  isolate: boolean,
  query = QUERY,
): Promise<{
  records: Json[];
  command: string;
  isolated: boolean;
  errors: string[];
  requests: string[];
  outcomeHeading: string;
  status: string;
}> {
  const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0, isolate });
  const context = await launchChromium(chromium!);
  try {
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.url}?${query}`);
    await page.locator('body[data-state=ready]').waitFor();
    await page.click('#run');
    await page.locator('body[data-state=done]').waitFor({ timeout: 120_000 });
    const status = await page.locator('#status').innerText();
    const download = page.waitForEvent('download');
    await page.click('#download-runs');
    const records = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as Json[];
    await page.locator('#report-charts figure').first().waitFor();
    const outcomeHeading = await page.locator('#runs th').nth(5).innerText();
    return {
      records,
      command: await page.locator('#command').innerText(),
      isolated: await page.evaluate(() => crossOriginIsolated),
      errors,
      requests,
      outcomeHeading,
      status,
    };
  } finally {
    await context.closeAll();
    await server.close();
  }
}

describe.skipIf(!chromium)('a sweep in Chromium and the same sweep in Node', () => {
  const node = new Map<string, Json>();
  let command = '';

  beforeAll(() => {
    if (!existsSync(join(webDir(), 'index.html'))) throw new Error(`${webDir()} has no page: run npm run build first`);
  });

  it('give byte-identical RunRecords in a cross-origin-isolated page (data shared with the workers)', async () => {
    const b = await browserSweep(true);
    expect(b.errors).toEqual([]);
    expect(b.isolated).toBe(true);
    command = b.command;
    expect(command).toBe('fluctlab sweep --lr 0.1,0.01 --train-limit 12800');

    const out = join(tmp(), 'out');
    const r = cli([...command.split(' ').slice(1), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const id of ['lr0.1-seed1', 'lr0.01-seed1'])
      node.set(id, JSON.parse(readFileSync(join(out, 'runs', `${id}.json`), 'utf8')));

    expect(b.records.map((x) => x.id)).toEqual(['lr0.1-seed1', 'lr0.01-seed1']);
    for (const rec of b.records) {
      const n = node.get(rec.id as string)!;
      expect(rec).toMatchObject({ status: 'ok', steps: 200 });
      expect((rec.windows as unknown[]).length).toBe(20); // the default everywhere: 20 windows per run
      expect((rec.environment as Json).runtime).toMatch(/HeadlessChrome/);
      expect((n.environment as Json).runtime).toMatch(/^node /);
      expect(rec.arithmetic).toBe('fma'); // auto: Chromium and Node both fuse here
      expect(deterministicText(rec)).toBe(deterministicText(n));
    }
  });

  it('give byte-identical RunRecords in the exact arithmetic, the page printing it in its command', async () => {
    expect(node.size).toBe(2); // from the test above
    const b = await browserSweep(true, `${QUERY}&arithmetic=exact`);
    expect(b.errors).toEqual([]);
    expect(b.command).toBe('fluctlab sweep --lr 0.1,0.01 --train-limit 12800 --arithmetic exact');
    const out = join(tmp(), 'out');
    const r = cli([...b.command.split(' ').slice(1), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const rec of b.records) {
      const n = JSON.parse(readFileSync(join(out, 'runs', `${rec.id}.json`), 'utf8')) as Json;
      expect(rec.arithmetic).toBe('exact');
      expect(deterministicText(rec)).toBe(deterministicText(n));
      expect(rec.testLoss).not.toBe(node.get(rec.id as string)!.testLoss); // not the fma records
    }
  });

  it.each([2, 4])(
    "give byte-identical RunRecords with tfjs's threaded SIMD build forced to %i threads per worker",
    async (threads) => {
      expect(node.size).toBe(2); // from the test above
      const b = await browserSweep(true, `${QUERY}&threads=${threads}`);
      expect(b.errors).toEqual([]);
      expect(b.isolated).toBe(true);
      expect(b.command).toBe(command); // threads are the browser's business: the same command, the same numbers
      for (const rec of b.records) {
        expect((rec.environment as Json).threads).toBe(threads);
        expect(deterministicText(rec)).toBe(deterministicText(node.get(rec.id as string)!));
      }
    },
  );

  it('give byte-identical RunRecords in a page that is not isolated (data copied to the workers)', async () => {
    expect(node.size).toBe(2); // from the test above
    const b = await browserSweep(false);
    expect(b.errors).toEqual([]);
    expect(b.isolated).toBe(false);
    expect(b.command).toBe(command);
    for (const rec of b.records) expect(deterministicText(rec)).toBe(deterministicText(node.get(rec.id as string)!));
  });

  afterAll(() => node.clear());
});

describe.skipIf(!chromium)('a shapes autoencoder sweep in Chromium and the same sweep in Node', () => {
  const node = new Map<string, Json>();

  it('prints the command with --data, and gives byte-identical reconstruction records (isolated: shared data)', async () => {
    const b = await browserSweep(true, SHAPES_QUERY);
    expect(b.errors).toEqual([]);
    expect(b.isolated).toBe(true);
    expect(b.requests.filter((u) => u.includes('/data/'))).toEqual([]); // generated in the page, not fetched
    expect(b.outcomeHeading).toBe('test PSNR');
    expect(b.command).toBe(
      'fluctlab sweep --data shapes:train=256,test=64 --lr 0.01,0.001 --epochs 2 --model ae:32,8 --optimizer adam',
    );
    const out = join(tmp(), 'out');
    const r = cli([...b.command.split(' ').slice(1), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const id of ['lr0.01-seed1', 'lr0.001-seed1'])
      node.set(id, JSON.parse(readFileSync(join(out, 'runs', `${id}.json`), 'utf8')));
    expect(b.records.map((x) => x.id)).toEqual(['lr0.01-seed1', 'lr0.001-seed1']);
    for (const rec of b.records) {
      expect(rec).toMatchObject({
        status: 'ok',
        steps: 8,
        task: 'reconstruction',
        testAccuracy: null,
        config: { data: 'shapes:train=256,test=64' },
      });
      expect(rec.testPsnr).toBeGreaterThan(0);
      expect(deterministicText(rec)).toBe(deterministicText(node.get(rec.id as string)!));
    }
  });

  it('gives the same records in a page that is not isolated (data copied to the workers)', async () => {
    expect(node.size).toBe(2); // from the test above
    const b = await browserSweep(false, SHAPES_QUERY);
    expect(b.errors).toEqual([]);
    expect(b.isolated).toBe(false);
    for (const rec of b.records) expect(deterministicText(rec)).toBe(deterministicText(node.get(rec.id as string)!));
  });

  afterAll(() => node.clear());
});

describe.skipIf(!chromium)('a fused sweep in Chromium and the same runs one at a time in Node', () => {
  const cases: [string, string, number][] = [
    ['an MLP with SGD, a diverging run in the middle', 'lrs=0.1,40,0.01&train-limit=3200&batch=64&window-steps=10', 1],
    ['an Adam autoencoder on shapes', SHAPES_QUERY, 0],
  ];
  it.each(cases)('give byte-identical records: %s', async (_what, query, diverged) => {
    const b = await browserSweep(true, `${query}&fuse=on`);
    expect(b.errors).toEqual([]);
    expect(b.status).toMatch(/, 1 fused group\b/); // the page trained the seed's runs as one group
    const out = join(tmp(), 'out');
    const r = cli([...b.command.split(' ').slice(1), '--fuse', 'off', '--workers', '1', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(b.records.filter((x) => x.status === 'diverged')).toHaveLength(diverged);
    for (const rec of b.records)
      expect(deterministicText(rec)).toBe(
        deterministicText(JSON.parse(readFileSync(join(out, 'runs', `${rec.id}.json`), 'utf8'))),
      );
  });
});

describe.skipIf(!chromium)('a conv net sweep in Chromium and the same sweep in Node', () => {
  it('gives byte-identical records for every layer type', async () => {
    const b = await browserSweep(false, CONV_QUERY);
    expect(b.errors).toEqual([]);
    expect(b.command).toContain(`--model ${CONV_MODEL}`);
    const out = join(tmp(), 'out');
    const r = cli([...b.command.split(' ').slice(1), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const node = JSON.parse(readFileSync(join(out, 'runs', 'lr0.01-seed1.json'), 'utf8'));
    expect(b.records).toHaveLength(1);
    const rec = b.records[0] as { status: string; steps: number; windows: { layers: { layer: string }[] }[] };
    expect([rec.status, rec.steps]).toEqual(['ok', 4]);
    expect(rec.windows[0].layers.map((l) => l.layer)).toEqual(['conv1', 'conv2', 'dense1', 'dense2']);
    expect(deterministicText(b.records[0])).toBe(deterministicText(node));
  });
});
