/**
 * The recorder's WebAssembly kernel gives the same bits in Chromium as in
 * Node: the same module runs on the same Δ, bin table and shapes in both, and
 * every byte of the resulting window state is compared.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_LUT } from '../../../src/engine/recording/histogram.js';
import { layerLayout, parameterCount } from '../../../src/engine/training/networkInit.js';
import { Rng } from '../../../src/engine/rng.js';
import { stateBytes } from '../../../src/engine/recording/wasm/recorderKernel.js';
import { RECORDER_WASM } from '../../../src/engine/recording/wasm/recorderWasm.js';

const CHROMIUM = '/usr/bin/chromium';

/** The Chromium to test with; null after a loud warning when it is missing outside CI, an error under CI=true. */
function requireChromium(): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.CI === 'true')
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (CI=true: browser tests must run)`,
    );
  console.warn(
    `\n!!! SKIPPED: no Chromium at ${CHROMIUM}, the WASM kernel was not checked in a browser (apt-get install -y chromium) !!!\n`,
  );
  return null;
}

interface KernelInput {
  wasm: number[];
  lut: number[];
  /** float32 bit patterns of each step's flat Δ */
  steps: number[][];
  /** per tensor: element offset, rows, cols, state bytes */
  tensors: [number, number, number, number][];
}

/**
 * Runs the kernel over every step and tensor in a fresh memory and returns the
 * state bytes. Self-contained: Playwright sends its source to the page.
 */
function runKernel(input: KernelInput): number[] {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(input.wasm)), { env: { memory } });
  const accumulate = instance.exports.accumulate as (
    src: number,
    rows: number,
    cols: number,
    state: number,
    lut: number,
  ) => number;
  const lut = 1024;
  new Uint16Array(memory.buffer, lut, input.lut.length).set(input.lut);
  const src = lut + 2 * input.lut.length;
  let next = src + 4 * input.steps[0].length;
  const states = input.tensors.map(([, , , bytes]) => {
    const at = Math.ceil(next / 16) * 16;
    next = at + bytes;
    return at;
  });
  for (const step of input.steps) {
    new Uint32Array(memory.buffer, src, step.length).set(step);
    input.tensors.forEach(([offset, rows, cols], i) => {
      accumulate(src + 4 * offset, rows, cols, states[i], lut);
    });
  }
  return Array.from(new Uint8Array(memory.buffer, states[0], next - states[0]));
}

function kernelInput(): KernelInput {
  const layout = [...layerLayout([37, 13, 10, 7, 4, 1]), ...layerLayout([784, 128, 64, 10])];
  const n = parameterCount(layerLayout([784, 128, 64, 10]));
  const rng = new Rng(21, 0);
  const steps = Array.from({ length: 3 }, () => {
    const d = new Float32Array(n).map(() => (rng.int(10) === 0 ? 0 : rng.normal() * 10 ** (-9 * rng.uniform())));
    return Array.from(new Uint32Array(d.buffer));
  });
  return {
    wasm: Array.from(RECORDER_WASM),
    lut: Array.from(BIN_LUT, (b) => 4 * b),
    steps,
    tensors: layout.flatMap(
      (l) =>
        [
          [l.wOffset, l.fanIn, l.units, stateBytes(l.units)],
          [l.bOffset, 1, l.units, stateBytes(l.units)],
        ] as [number, number, number, number][],
    ),
  };
}

const chromium = requireChromium();

describe.skipIf(!chromium)('the recorder kernel in Chromium', () => {
  const profile = mkdtempSync(join(tmpdir(), 'fluctlab-wasm-chromium-'));
  let context: BrowserContext;
  beforeAll(async () => {
    const { chromium: playwright } = await import('playwright-core');
    context = await playwright.launchPersistentContext(profile, {
      executablePath: chromium!,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('gives bit-identical window state to Node on the same Δ', async () => {
    const input = kernelInput();
    const node = runKernel(input);
    expect(node.some((b) => b !== 0)).toBe(true);
    const page = await context.newPage();
    const browser = await page.evaluate(runKernel, input);
    expect(browser.length).toBe(node.length);
    expect(Buffer.from(browser).equals(Buffer.from(node))).toBe(true);
  }, 60_000);
});
