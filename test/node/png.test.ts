import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../src/report/png.js';
import { enlarge } from '../../src/report/reconstructionGrid.js';

describe('PNG encoder', () => {
  it('CRC-32 matches the published check value and the constant CRC of every IEND chunk', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes signature, IHDR (2×3, 8-bit grey), rows with filter byte 0 in IDAT, and IEND', () => {
    const png = Buffer.from(encodePng(new Uint8Array([0, 255, 10, 20, 30, 40]), 2, 3));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([2, 3, 8, 0]);
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    expect([...inflateSync(png.subarray(41, 41 + idatLength))]).toEqual([0, 0, 255, 0, 10, 20, 0, 30, 40]);
    expect(png.toString('ascii', png.length - 8, png.length - 4)).toBe('IEND');
    expect(png.readUInt32BE(png.length - 4)).toBe(0xae426082);
  });

  it('writes RGB (colour type 2) with three interleaved values per pixel after each filter byte', () => {
    const png = Buffer.from(encodePng(new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]), 2, 2, 3));
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([2, 2, 8, 2]);
    const idatLength = png.readUInt32BE(33);
    expect([...inflateSync(png.subarray(41, 41 + idatLength))]).toEqual([
      0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9,
    ]);
  });

  it('refuses a pixel count that does not match the size', () => {
    expect(() => encodePng(new Uint8Array(5), 2, 3)).toThrow(/5 values for 2×3×1/);
    expect(() => encodePng(new Uint8Array(6), 2, 3, 3)).toThrow(/6 values for 2×3×3/);
  });
});

describe('nearest-neighbour enlargement', () => {
  it('repeats each pixel k×k times', () => {
    expect([...enlarge([1, 2, 3, 4], 2, 2, 2)]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('keeps the channels of a colour pixel together', () => {
    // one row of two RGB pixels, doubled: each pixel's three values twice across, and the row twice down
    const row = [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6];
    expect([...enlarge([1, 2, 3, 4, 5, 6], 1, 2, 2, 3)]).toEqual([...row, ...row]);
  });
});
