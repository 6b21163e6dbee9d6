import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasetFromIdx } from '../../../src/engine/data/dataset.js';
import { isGzip, parseIdx } from '../../../src/engine/data/idx.js';
import { mnistDir } from '../../../src/node/mnist.js';

function idx(type: number, dims: number[], body: number[]): Uint8Array {
  const header = [0, 0, type, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return new Uint8Array([...header, ...body]);
}

describe('IDX reader on the real MNIST files', () => {
  const dir = mnistDir();
  it('reads the 60k training images as a zero-copy uint8 view', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'train-images-idx3-ubyte')));
    const t = parseIdx(bytes);
    expect(t.dims).toEqual([60000, 28, 28]);
    expect(t.data).toBeInstanceOf(Uint8Array);
    expect(t.data.buffer).toBe(bytes.buffer);
    expect(t.data.byteOffset).toBe(bytes.byteOffset + 16);
  });

  it('reads the labels: the first training digit is a 5, the first test digit a 7', () => {
    const tr = parseIdx(new Uint8Array(readFileSync(join(dir, 'train-labels-idx1-ubyte'))));
    const te = parseIdx(new Uint8Array(readFileSync(join(dir, 't10k-labels-idx1-ubyte'))));
    expect(tr.dims).toEqual([60000]);
    expect(te.dims).toEqual([10000]);
    expect(tr.data[0]).toBe(5);
    expect(te.data[0]).toBe(7);
  });
});

describe('IDX reader on malformed bytes', () => {
  it('parses a tiny hand-made uint8 file', () => {
    const t = parseIdx(idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]));
    expect(t.dims).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes big-endian int32 data', () => {
    const t = parseIdx(idx(0x0c, [2], [0, 0, 1, 0, 255, 255, 255, 254]));
    expect(Array.from(t.data)).toEqual([256, -2]);
  });

  it('refuses a bad magic number', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 1, 0]), 'x')).toThrow(/bad magic number/);
  });

  it('refuses an unknown element type', () => {
    expect(() => parseIdx(idx(0x07, [1], [0]))).toThrow(/unknown IDX element type/);
  });

  it('refuses a file truncated inside the header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]))).toThrow(/truncated inside its header/);
  });

  it('refuses data shorter than the header says', () => {
    expect(() => parseIdx(idx(0x08, [2, 3], [1, 2, 3]))).toThrow(
      /truncated: header 2x3 uint8 needs 18 bytes, file has 15/,
    );
  });

  it('refuses data longer than the header says', () => {
    expect(() => parseIdx(idx(0x08, [2], [1, 2, 3]))).toThrow(/longer than its header says/);
  });

  it('refuses a header that asks for absurd memory', () => {
    expect(() => parseIdx(idx(0x08, [100000, 100000, 100000], []))).toThrow(/more than the .* allowed/);
  });

  it('recognises gzip input and asks for decompression', () => {
    const gz = new Uint8Array(gzipSync(idx(0x08, [1], [1])));
    expect(isGzip(gz)).toBe(true);
    expect(() => parseIdx(gz)).toThrow(/gzip-compressed/);
  });

  it('refuses train images and labels of different counts', () => {
    const img = idx(0x08, [2, 1, 1], [0, 0]);
    expect(() =>
      datasetFromIdx(
        {
          trainImages: img,
          trainLabels: idx(0x08, [3], [0, 1, 2]),
          testImages: img,
          testLabels: idx(0x08, [2], [0, 1]),
        },
        't',
      ),
    ).toThrow(/differ in count/);
  });
});
