/**
 * Checks the shape of src/ that no formatter sees: every import points down the layers (docs/architecture.md), and no
 * source file passes 300 lines (hand-written .wat and the byte arrays compiled from it aside).
 *
 *     npx tsx scripts/check-structure.ts      (part of npm run lint)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/** Layers from the bottom up; a file may import its own layer and those below. Sub-folders of engine/ are ordered too. */
export const LAYERS: readonly (readonly string[])[] = [
  ['contract'],
  ['engine/data', 'engine/rng.ts', 'engine/detMath.ts'],
  ['engine/kernels'],
  ['engine/recording'],
  ['engine/training'],
  ['analysis'],
  ['sweep'],
  ['report'],
  ['store'],
  ['node', 'web', 'tfjs'],
  ['studies'],
  ['cli'],
  ['index.ts'],
];

/** Files that may pass 300 lines: generated from a hand-written .wat. */
const GENERATED = /\/wasm\/\w+Wasm\.ts$/;
const MAX_LINES = 300;

function layerOf(file: string): number {
  const rel = relative(src, file).split('\\').join('/');
  const i = LAYERS.findIndex((names) => names.some((n) => rel === n || rel.startsWith(`${n}/`)));
  if (i < 0) throw new Error(`${rel} is in no layer: add its folder to LAYERS in scripts/check-structure.ts`);
  return i;
}

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.ts$/.test(e.name)) yield p;
  }
}

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"?]+)/g;
const problems: string[] = [];
for (const file of sources(src)) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const rel = relative(root, file);
  if (lines > MAX_LINES && !GENERATED.test(file))
    problems.push(`${rel}: ${lines} lines (at most ${MAX_LINES}: split it by what its parts do)`);
  const own = layerOf(file);
  for (const m of text.matchAll(IMPORT)) {
    const target = posix.normalize(posix.join(posix.dirname(file), m[1]));
    const theirs = layerOf(target.replace(/\.js$/, '.ts'));
    if (theirs > own)
      problems.push(
        `${rel} imports ${relative(root, target)}: an import that points up (${LAYERS[own][0]} → ${LAYERS[theirs][0]})`,
      );
  }
}
for (const p of problems) console.log(p);
if (problems.length > 0) {
  console.log(`${problems.length} problem(s) in the structure of src/`);
  process.exit(1);
}
console.log('structure: every import points down, every file within 300 lines');
