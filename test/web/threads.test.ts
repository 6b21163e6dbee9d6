/** The page's Threads field: more than one WASM thread only where the page is cross-origin isolated. */
import { describe, expect, it } from 'vitest';
import { webDir } from '../../src/cli/commands/serve.js';
import { startStaticServer } from '../../src/node/staticServer.js';
import { launchChromium, requireBrowser } from '../helpers/browser.js';

const chromium = requireBrowser('threads field');

describe.skipIf(!chromium)('the Threads field', () => {
  it('refuses 2 threads next to the field in a page that is not isolated, and accepts auto', async () => {
    const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0, isolate: false });
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}?threads=2`);
      await page.locator('body[data-state=ready]').waitFor();
      expect(await page.locator('#e-threads').innerText()).toBe(
        'more than one thread needs a cross-origin-isolated page: open it through fluctlab serve, or with ?isolate',
      );
      expect(await page.locator('#run').isDisabled()).toBe(true);
      await page.fill('#f-threads', 'auto');
      expect(await page.locator('#e-threads').innerText()).toBe('');
      expect(await page.locator('#run').isDisabled()).toBe(false);
    } finally {
      await context.closeAll();
      await server.close();
    }
  });
});
