/**
 * Headless Chromium for the browser tests: the Debian `chromium` package
 * driven by playwright-core (Playwright's own browser download cannot work
 * offline). Each test gets a fresh profile through launchPersistentContext.
 *
 * Where no Chromium is found, the browser tests skip with a loud warning, and
 * fail under CI=true: CI must prove the browser claims.
 *
 *     const browser = requireBrowser('parity');  // null: skip
 *     describe.skipIf(!browser)('…', () => { … const ctx = await launchChromium(); … });
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

const CANDIDATES = [
  process.env.FLUCTLAB_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter((p): p is string => !!p);

/** The flags every test browser is launched with: no sandbox (root in CI), no GPU, no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Path of a Chromium executable, or null. */
export function findChromium(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The Chromium to test with; null (after a loud warning) when there is none outside CI; throws under CI=true. */
export function requireBrowser(suite: string): string | null {
  const path = findChromium();
  if (path) return path;
  const message = `no Chromium found (looked for ${CANDIDATES.join(', ')}): install it with apt-get install -y chromium`;
  if (process.env.CI === 'true') throw new Error(`${suite}: ${message} (CI=true: browser tests must run)`);
  process.stderr.write(
    `\n${'!'.repeat(100)}\n!! SKIPPING browser tests "${suite}": ${message}\n${'!'.repeat(100)}\n\n`,
  );
  return null;
}

/** A fresh headless Chromium profile; `close()` also removes the profile folder. */
export async function launchChromium(executablePath: string): Promise<BrowserContext & { closeAll(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'fluctlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  return Object.assign(context, {
    async closeAll() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}

/**
 * Collects a page's console errors and warnings, uncaught exceptions and failed requests (a test asserts the list
 * stays empty); with `allowedRequests`, also every request whose URL it does not match (for pages that must fetch nothing).
 */
export function collectPageErrors(page: Page, allowedRequests?: RegExp): string[] {
  const errors: string[] = [];
  if (allowedRequests)
    page.on('request', (r) => {
      if (!allowedRequests.test(r.url())) errors.push(`request: ${r.url()}`);
    });
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // ERR_ABORTED: cancelled, e.g. a worker script still loading when the test navigates away; not a failure
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return errors;
}
