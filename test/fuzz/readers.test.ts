/**
 * Property-based fuzzing of the readers of user files, with our own seeded generator (so a failure replays from its
 * seed): random truncations, bit flips and header or field edits of IDX data sets and of result folders (manifest,
 * run records, sweep.json, swapped records). Every outcome must be a valid result or a UsageError with one line:
 * never another error (an internal error in the CLI), never a hang. Bounded to a few seconds per reader.
 */
import { copyFileSync, cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/contract/errors.js';
import { Rng } from '../../src/engine/rng.js';
import { loadDataset } from '../../src/node/loadData.js';
import { readSweepFolder } from '../../src/store/readSweep.js';
import { readManifest } from '../../src/store/resultDir.js';
import { cli, tmp, smallSweep } from '../helpers/cli.js';

const CASES = Number(process.env.FUZZ_CASES ?? 300);

/** Runs `read`; returns null when it gave a result or a one-line UsageError, else what went wrong. */
function outcome(read: () => unknown): string | null {
  try {
    read();
    return null;
  } catch (e) {
    if (e instanceof UsageError && !e.message.includes('\n') && e.message.length > 0) return null;
    return `${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? e}`;
  }
}

/** One random damage to a file's bytes. */
function damage(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; what: string } {
  const kind = rng.int(4);
  const b = bytes.slice();
  if (kind === 0) {
    const n = rng.int(bytes.length + 1);
    return { bytes: bytes.slice(0, n), what: `truncated to ${n} bytes` };
  }
  if (kind === 1) {
    const flips = 1 + rng.int(8);
    for (let i = 0; i < flips; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
    return { bytes: b, what: `${flips} bit flips` };
  }
  if (kind === 2) {
    const n = Math.min(b.length, 16);
    const at = rng.int(n);
    b[at] = rng.int(256);
    return { bytes: b, what: `header byte ${at} set to ${b[at]}` };
  }
  const extra = Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256));
  const out = new Uint8Array(b.length + extra.length);
  out.set(b);
  out.set(extra, b.length);
  return { bytes: out, what: `${extra.length} bytes appended` };
}

/** A random edit of a JSON document: a field set to a value of another type, deleted, or a number changed. */
function editJson(text: string, rng: Rng): { text: string; what: string } {
  const doc = JSON.parse(text);
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (paths.length > 4000) return;
    paths.push(p);
    if (Array.isArray(v))
      v.slice(0, 6).forEach((x, i) => {
        walk(x, [...p, i]);
      });
    else if (v && typeof v === 'object')
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, k]);
  };
  walk(doc, []);
  const path = paths[1 + rng.int(paths.length - 1)];
  const values = [null, -1, 0, 1e308, 'x', [], {}, true, -0.5, 3];
  let parent = doc;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const key = path[path.length - 1];
  if (rng.int(4) === 0 && !Array.isArray(parent)) {
    delete parent[key];
    return { text: JSON.stringify(doc), what: `deleted ${path.join('.')}` };
  }
  const v = values[rng.int(values.length)];
  parent[key] = v;
  return { text: JSON.stringify(doc), what: `set ${path.join('.')} to ${JSON.stringify(v)}` };
}

describe('IDX data sets under random damage', () => {
  let clean: string;
  beforeAll(() => {
    // a small valid IDX set: 12 training and 6 test images of 4×4, labels 0…9
    clean = tmp();
    const idx = (type: number, dims: number[], data: number[]) => {
      const head = [
        0,
        0,
        type,
        dims.length,
        ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
      ];
      return Uint8Array.from([...head, ...data]);
    };
    const images = (n: number) => Array.from({ length: n * 16 }, (_, i) => (i * 37) % 256);
    writeFileSync(join(clean, 'train-images-idx3-ubyte'), idx(8, [12, 4, 4], images(12)));
    writeFileSync(
      join(clean, 'train-labels-idx1-ubyte'),
      idx(
        8,
        [12],
        Array.from({ length: 12 }, (_, i) => i % 10),
      ),
    );
    writeFileSync(join(clean, 't10k-images-idx3-ubyte'), idx(8, [6, 4, 4], images(6)));
    writeFileSync(
      join(clean, 't10k-labels-idx1-ubyte'),
      idx(
        8,
        [6],
        Array.from({ length: 6 }, (_, i) => i % 10),
      ),
    );
    expect(outcome(() => loadDataset({ data: `idx:${clean}` }))).toBeNull();
  });

  it(`load as a data set or are refused with one line (${CASES} cases)`, () => {
    const rng = new Rng(2026, 12);
    const files = readdirSync(clean);
    const failures: string[] = [];
    const dir = tmp();
    for (let c = 0; c < CASES; c++) {
      for (const f of files) copyFileSync(join(clean, f), join(dir, f));
      const f = files[rng.int(files.length)];
      const d = damage(new Uint8Array(readFileSync(join(clean, f))), rng);
      writeFileSync(join(dir, f), d.bytes);
      const bad = outcome(() => loadDataset({ data: `idx:${dir}` }));
      if (bad) failures.push(`case ${c}: ${f} ${d.what}: ${bad}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('result folders under random damage', () => {
  let clean: string;
  beforeAll(() => {
    clean = join(tmp(), 'sweep');
    const r = smallSweep(clean);
    expect(r.stderr).toBe('');
    expect(outcome(() => readSweepFolder(clean))).toBeNull();
  });

  const files = () => ['manifest.json', 'sweep.json', 'runs/lr0.1-seed1.json', 'runs/lr0.01-seed1.json'];

  it(`are read (report, export, merge, resume) or refused with one line: damaged bytes (${CASES} cases)`, () => {
    const rng = new Rng(2026, 13);
    const failures: string[] = [];
    for (let c = 0; c < CASES; c++) {
      const dir = join(tmp(), 'sweep');
      cpSync(clean, dir, { recursive: true });
      const f = files()[rng.int(4)];
      const d = damage(new Uint8Array(readFileSync(join(clean, f))), rng);
      writeFileSync(join(dir, f), d.bytes);
      const bad = outcome(() => readSweepFolder(dir)) ?? outcome(() => readManifest(dir));
      if (bad) failures.push(`case ${c}: ${f} ${d.what}: ${bad}`);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  });

  it(`are read or refused with one line: edited fields (${CASES} cases) and swapped records`, () => {
    const rng = new Rng(2026, 14);
    const failures: string[] = [];
    for (let c = 0; c < CASES; c++) {
      const dir = join(tmp(), 'sweep');
      cpSync(clean, dir, { recursive: true });
      const f = files()[rng.int(4)];
      const e = editJson(readFileSync(join(clean, f), 'utf8'), rng);
      writeFileSync(join(dir, f), e.text);
      const bad = outcome(() => readSweepFolder(dir)) ?? outcome(() => readManifest(dir));
      if (bad) failures.push(`case ${c}: ${f} ${e.what}: ${bad}`);
      rmSync(dir, { recursive: true, force: true });
    }
    const swapped = join(tmp(), 'sweep');
    cpSync(clean, swapped, { recursive: true });
    renameSync(join(swapped, 'runs', 'lr0.1-seed1.json'), join(swapped, 'runs', 'x.json'));
    renameSync(join(swapped, 'runs', 'lr0.01-seed1.json'), join(swapped, 'runs', 'lr0.1-seed1.json'));
    renameSync(join(swapped, 'runs', 'x.json'), join(swapped, 'runs', 'lr0.01-seed1.json'));
    expect(() => readSweepFolder(swapped)).toThrow(
      /holds run lr 0.01, seed 1, not lr0.1-seed1 \(renamed or edited\?\)/,
    );
    expect(failures).toEqual([]);
  });
});

describe("a reproduce folder's plan under random edits", () => {
  let clean: string;
  beforeAll(() => {
    clean = join(tmp(), 'study');
    const r = cli(['reproduce', '--quick', '--equal-progress', '--quiet', '--out', clean]);
    expect(r.stderr).toBe('');
  }, 120_000);

  it(`is read or refused with one line (${CASES} cases)`, async () => {
    const { readPlan } = await import('../../src/studies/paper/reproduce.js');
    const rng = new Rng(2026, 15);
    const failures: string[] = [];
    const text = readFileSync(join(clean, 'reproduce.json'), 'utf8');
    const dir = tmp();
    for (let c = 0; c < CASES; c++) {
      const e =
        rng.int(3) === 0
          ? (() => {
              const d = damage(new TextEncoder().encode(text), rng);
              return { text: new TextDecoder().decode(d.bytes), what: d.what };
            })()
          : editJson(text, rng);
      writeFileSync(join(dir, 'reproduce.json'), e.text);
      const bad = outcome(() => readPlan(dir));
      if (bad) failures.push(`case ${c}: reproduce.json ${e.what}: ${bad}`);
    }
    expect(failures).toEqual([]);
  });
});
