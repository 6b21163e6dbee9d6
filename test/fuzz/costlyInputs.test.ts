/**
 * Issue 24, class 5: small files that cost far more than their size. Each runs the built CLI in a child process whose
 * peak resident memory is measured (test/helpers/maxRss.mjs); a refused input must give one line, exit 2, and stay
 * within MEMORY_CAP_KB, far below what the input would expand to (a CLI that fails at once peaks near 75 MB).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IDX_FILE_NAMES } from '../../src/engine/data/dataset.js';
import { mnistDir } from '../../src/node/mnist.js';
import { BIN, tmp } from '../helpers/cli.js';
import { npyBytes } from '../helpers/npyFiles.js';

const MEMORY_CAP_KB = 300_000;
const HOOK = join(__dirname, '..', 'helpers', 'maxRss.mjs');

/** Runs the CLI with a time limit; returns its exit code, stderr and peak memory (kB). */
function measured(args: string[], timeout = 60_000) {
  const dir = tmp();
  const rss = join(dir, 'rss');
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1', FLUCTLAB_MAX_RSS: rss },
  });
  let peak = Number.NaN;
  try {
    peak = Number(readFileSync(rss, 'utf8'));
  } catch {}
  return { code: r.status, stderr: r.stderr.trim(), peak };
}

/** An IDX header: uint8, the given dims. */
function idxHeader(dims: number[]): Uint8Array {
  const h = new Uint8Array(4 + 4 * dims.length);
  h[2] = 0x08;
  h[3] = dims.length;
  const v = new DataView(h.buffer);
  for (const [i, d] of dims.entries()) v.setUint32(4 + 4 * i, d, false);
  return h;
}

describe('inputs that cost far more than their size', () => {
  it('an IDX .gz that inflates to far more than its header promises is refused near its own size', () => {
    const dir = tmp();
    for (const k of ['trainLabels', 'testImages', 'testLabels'] as const)
      copyFileSync(join(mnistDir(), `${IDX_FILE_NAMES[k]}`), join(dir, IDX_FILE_NAMES[k]));
    // a header for 60000 images of 28×28, then 400 MiB of zeros: gzip members of 1 MiB each, concatenated
    const member = gzipSync(new Uint8Array(1 << 20), { level: 9 });
    const parts = [gzipSync(idxHeader([60000, 28, 28]))];
    for (let i = 0; i < 400; i++) parts.push(member);
    writeFileSync(join(dir, `${IDX_FILE_NAMES.trainImages}.gz`), Buffer.concat(parts));
    const r = measured(['sweep', '--data', `idx:${dir}`, '--out', join(tmp(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/decompresses to more than the 47040016 bytes its header promises/);
    expect(r.peak).toBeLessThan(MEMORY_CAP_KB);
  });

  it('a sparse npy file larger than its header says is refused before it is read', () => {
    const dir = tmp();
    const images = npyBytes('|u1', [4, 2, 2], new Uint8Array(16));
    writeFileSync(join(dir, 'train_x.npy'), images);
    const fd = openSync(join(dir, 'train_x.npy'), 'r+');
    ftruncateSync(fd, 1_500_000_000); // holes: 1.5 GB on paper, a few bytes on disk
    closeSync(fd);
    writeFileSync(join(dir, 'train_y.npy'), npyBytes('|u1', [4], new Uint8Array([0, 1, 0, 1])));
    writeFileSync(join(dir, 'test_x.npy'), images);
    writeFileSync(join(dir, 'test_y.npy'), npyBytes('|u1', [4], new Uint8Array([0, 1, 0, 1])));
    const r = measured(['sweep', '--data', `npy:${dir}`, '--out', join(tmp(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/train_x\.npy is 1500000000 bytes, but its header \(4, 2, 2\) says \d+/);
    expect(r.peak).toBeLessThan(MEMORY_CAP_KB);
  });

  it('a CIFAR batch that is not a whole number of records is refused before it is read', () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    for (const f of ['data_batch_1.bin', 'test_batch.bin']) {
      const fd = openSync(join(dir, f), 'w');
      ftruncateSync(fd, 1_500_000_001);
      closeSync(fd);
    }
    const r = measured(['sweep', '--data', `cifar10:${dir}`, '--out', join(tmp(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/data_batch_1\.bin is 1500000001 bytes, not a whole number of 3073-byte/);
    expect(r.peak).toBeLessThan(MEMORY_CAP_KB);
  });

  it('refuses epochs × data that would take more steps than a run may, up front', () => {
    const r = measured(
      ['sweep', '--batch', '1', '--epochs', '10000', '--lr', '0.1', '--out', join(tmp(), 'o')],
      30_000,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--epochs 10000 × 60000 steps per epoch = 600000000 steps per run, more than the 100000000 a run may take/,
    );
  });

  it('refuses a model of 200,000 layers with one line, near its own size', () => {
    const dir = tmp();
    const path = join(dir, 'model.json');
    writeFileSync(path, JSON.stringify({ layers: Array(200_000).fill('relu') }));
    const r = measured(['sweep', '--model', path, '--out', join(tmp(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has 200000 layers: a model has at most 256 layers/);
    expect(r.peak).toBeLessThan(MEMORY_CAP_KB);
  });
});

describe('JSON files that cost far more than their size', () => {
  const deep = (n: number) => `{"config": ${'['.repeat(n)}${']'.repeat(n)}}`;

  it('refuses a manifest nested 200,000 deep with one line, no stack overflow', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), deep(200_000));
    const r = measured(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/manifest\.json is nested 200001 deep, more than the 64 a fluctlab file needs/);
  });

  it('refuses a model file nested 200,000 deep with one line', () => {
    const path = join(tmp(), 'model.json');
    writeFileSync(path, deep(200_000));
    const r = measured(['sweep', '--model', path, '--out', join(tmp(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.json is nested 200001 deep/);
  });

  it('refuses a 600 MB record with one line before reading it', () => {
    const dir = join(tmp(), 's');
    const made = measured([
      'sweep',
      '--quiet',
      '--no-report',
      '--data',
      'shapes:size=8,train=64,test=32',
      '--model',
      'mlp:4',
      '--lr',
      '0.1',
      '--workers',
      '1',
      '--out',
      dir,
    ]);
    expect(made.code).toBe(0);
    const fd = openSync(join(dir, 'runs', 'lr0.1-seed1.json'), 'r+');
    ftruncateSync(fd, 600_000_000);
    closeSync(fd);
    const r = measured(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /lr0\.1-seed1\.json is 600000000 bytes, more than the 524288000 a fluctlab text file may hold/,
    );
    expect(r.peak).toBeLessThan(MEMORY_CAP_KB);
  });
});
