/**
 * Compiles src/engine/recording/wasm/recorder.wat (the recorder's SIMD hot loop) into
 * src/engine/recording/wasm/recorderWasm.ts, and src/engine/kernels/wasm/conv.wat (the
 * convolution kernels) into src/engine/kernels/wasm/convWasm.ts, and gemm.wat (the matrix products) into gemmWasm.ts and,
 * with fused multiply-adds (scripts/fmaWat.ts), gemmFmaWasm.ts, optimizer.wat (the optimizers' steps) into optimizerWasm.ts,
 * batch.wat (a batch's pixels as float32) into batchWasm.ts, and
 * fmaProbe.wat into fmaProbeWasm.ts: committed
 * TypeScript files holding each module's bytes.
 *
 *     npx tsx scripts/build-wasm.ts      (or: npm run build:wasm)
 *
 * Why a committed .ts file and not a .wasm next to the code: the bytes then
 * travel with the JavaScript through tsc, bundlers and workers, in Node and in
 * the browser, with no file loading, no fetch and no async step, and nobody
 * needs wabt to build or run fluctlab. test/core/analysis/wasmBuild.test.ts recompiles
 * the .wat and checks the committed bytes still match, so the two cannot drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabtInit from 'wabt';
import { fmaWat, unfused } from './fmaWat.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WAT_PATH = join(root, 'src/engine/recording/wasm/recorder.wat');
export const OUTPUT_PATH = join(root, 'src/engine/recording/wasm/recorderWasm.ts');

/** Every module: its .wat, the generated .ts, the name of its byte constants and what it is. */
export const MODULES = [
  { wat: WAT_PATH, out: OUTPUT_PATH, name: 'RECORDER_WASM', what: "The recorder's SIMD WebAssembly module" },
  {
    wat: join(root, 'src/engine/kernels/wasm/conv.wat'),
    out: join(root, 'src/engine/kernels/wasm/convWasm.ts'),
    name: 'CONV_WASM',
    what: "The convolution kernels' WebAssembly module",
  },
  {
    wat: join(root, 'src/engine/kernels/wasm/gemm.wat'),
    out: join(root, 'src/engine/kernels/wasm/gemmWasm.ts'),
    name: 'GEMM_WASM',
    what: "The matrix products' WebAssembly module",
  },
  {
    wat: join(root, 'src/engine/kernels/wasm/gemm.wat'),
    out: join(root, 'src/engine/kernels/wasm/gemmFmaWasm.ts'),
    name: 'GEMM_FMA_WASM',
    what: "The matrix products' WebAssembly module with fused multiply-adds (relaxed SIMD; scripts/fmaWat.ts)",
    fma: true,
  },
  {
    wat: join(root, 'src/engine/kernels/wasm/optimizer.wat'),
    out: join(root, 'src/engine/kernels/wasm/optimizerWasm.ts'),
    name: 'OPTIMIZER_WASM',
    what: "The optimizers' steps in one pass",
  },
  {
    wat: join(root, 'src/engine/kernels/wasm/batch.wat'),
    out: join(root, 'src/engine/kernels/wasm/batchWasm.ts'),
    name: 'BATCH_WASM',
    what: 'A batch of images as float32 input',
  },
  {
    wat: join(root, 'src/engine/kernels/wasm/fmaProbe.wat'),
    out: join(root, 'src/engine/kernels/wasm/fmaProbeWasm.ts'),
    name: 'FMA_PROBE_WASM',
    what: 'A probe of fused multiply-add (relaxed SIMD)',
    fma: true,
  },
] as const;

/** The memory import of recorder.wat, and its form for a shared memory (tfjs's threaded build). */
const MEMORY_IMPORT = '(import "env" "memory" (memory 1))';
const SHARED_MEMORY_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';

/** Both builds of the recorder's .wat. */
export function compileRecorderWat(): Promise<{ plain: Uint8Array; shared: Uint8Array }> {
  return compileWat(WAT_PATH);
}

/** Both builds of a .wat (SIMD, no name section): for an ordinary memory and for a shared one. */
export async function compileWat(path: string, fma = false): Promise<{ plain: Uint8Array; shared: Uint8Array }> {
  let wat = readFileSync(path, 'utf8');
  if (fma) {
    const build = fmaWat(wat);
    if (build.fused === 0 || unfused(build.wat) > 0)
      throw new Error(
        `${path}: the FMA build fused ${build.fused} multiply-adds and left ${unfused(build.wat)} multiplies`,
      );
    wat = build.wat;
  }
  if (wat.split(MEMORY_IMPORT).length !== 2)
    throw new Error(`${path} must import its memory exactly as ${MEMORY_IMPORT}`);
  // tfjs's threaded build (cross-origin-isolated pages) has a shared memory, which only a module that
  // imports a shared memory can link to; the two builds differ in that import alone.
  const wabt = await wabtInit();
  const features = { simd: true, threads: true, relaxed_simd: fma };
  const compile = (text: string): Uint8Array => {
    const mod = wabt.parseWat(path, text, features);
    try {
      (mod.validate as (f: typeof features) => void)(features); // wabt.js takes the features here too (its typings omit them)
      return new Uint8Array(mod.toBinary({}).buffer);
    } finally {
      mod.destroy();
    }
  };
  return { plain: compile(wat), shared: compile(wat.replace(MEMORY_IMPORT, SHARED_MEMORY_IMPORT)) };
}

/** The TypeScript source that holds both builds, as `name` and `name`_SHARED. */
export function renderModuleSource(
  builds: { plain: Uint8Array; shared: Uint8Array },
  name = 'RECORDER_WASM',
  what = "The recorder's SIMD WebAssembly module",
  wat = 'recorder.wat',
): string {
  const literal = (bytes: Uint8Array): string[] => {
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 24) lines.push(`  ${Array.from(bytes.subarray(i, i + 24)).join(', ')},`);
    return lines;
  };
  return [
    '/**',
    ` * GENERATED by scripts/build-wasm.ts from ${wat}: do not edit, run \`npm run build:wasm\`.`,
    ` * ${what} as bytes, so that Node and the browser load it`,
    ' * without any file or network access (see scripts/build-wasm.ts for why).',
    ' */',
    '',
    '/** For an ordinary memory (Node, pages that are not cross-origin isolated). */',
    `export const ${name} = new Uint8Array([`,
    ...literal(builds.plain),
    ']);',
    '',
    "/** The same module importing a shared memory (tfjs's threaded build). */",
    `export const ${name}_SHARED = new Uint8Array([`,
    ...literal(builds.shared),
    ']);',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  for (const m of MODULES) {
    const builds = await compileWat(m.wat, 'fma' in m && m.fma);
    writeFileSync(m.out, renderModuleSource(builds, m.name, m.what, basename(m.wat)));
    console.log(`wrote ${m.out} (${builds.plain.length} and ${builds.shared.length} bytes of WebAssembly)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
