/**
 * fluctlab/tfjs in headless Chromium: sweepModel runs a 3-learning-rate sweep of the user module the Node test sweeps,
 * on 2 Web Workers, and gives the records Node gives, timing and environment aside (one WASM build, one seeded order).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deterministicPart, type RunRecord } from '../../src/contract/record.js';
import { sweepModel } from '../../src/tfjs/index.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { serveCheckout } from './pageServer.js';
import { tf, wasmBackend } from './fixtures.js';

const chromium = requireBrowser('fluctlab/tfjs');

describe.skipIf(!chromium)('fluctlab/tfjs in Chromium', () => {
  it('sweepModel fits a user module at 3 learning rates on 2 Web Workers, as Node does', async () => {
    const server = await serveCheckout();
    const context = await launchChromium(chromium!);
    let outcome: { records?: RunRecord[]; lrs?: number[]; error?: string };
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}test/tfjs/page/sweep.html`);
      await page
        .locator('body[data-state=done], body[data-state=failed]')
        .waitFor({ state: 'attached', timeout: 120_000 });
      outcome = await page.evaluate(() => (window as unknown as { outcome: typeof outcome }).outcome);
      expect(outcome.error).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      await server.close();
    }
    expect(outcome.lrs).toEqual([0.1, 0.03, 0.01]);
    const web = outcome.records!;
    expect(web.map((r) => [r.id, r.status])).toEqual([
      ['lr0.1-seed1', 'ok'],
      ['lr0.03-seed1', 'ok'],
      ['lr0.01-seed1', 'ok'],
    ]);
    expect(web[0].environment.runtime).toMatch(/chrom/i);
    // the same sweep in Node
    await wasmBackend();
    const x = tf.randomUniform([16, 6, 6, 1], 0, 1, 'float32', 7);
    const y = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 16 }, (_, i) => i % 3),
        'int32',
      ),
      3,
    );
    const node = await sweepModel({
      model: pathToFileURL(join(__dirname, 'fixtures', 'tinyModel.mjs')).href,
      data: { x, y, validation: { x, y } },
      lrs: [0.1, 0.03, 0.01],
      epochs: 2,
      batchSize: 4,
      windowSteps: 3,
      probe: 4,
      workers: 2,
      dataName: 'tiny',
    });
    expect(web.map((r) => JSON.stringify(deterministicPart(r)))).toEqual(
      node.records.map((r) => JSON.stringify(deterministicPart(r))),
    );
  });
});
