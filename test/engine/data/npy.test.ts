/** The .npy writer against the format spec, byte for byte, and its reader. */
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, npyHeaderText } from '../../../src/engine/data/npy.js';

const ascii = (b: Uint8Array) => String.fromCharCode(...b);

describe('encodeNpy', () => {
  it('writes the version 1.0 preamble and a header padded to 64 bytes', () => {
    const bytes = encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    // magic \x93NUMPY, version 1.0
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    expect(dict.length).toBe(59);
    // 10 + 59 + 58 spaces + "\n" = 128: header length 118 = 0x76 little-endian.
    expect([bytes[8], bytes[9]]).toEqual([118, 0]);
    expect(ascii(bytes.subarray(10, 128))).toBe(`${dict + ' '.repeat(58)}\n`);
    expect(bytes.length).toBe(128 + 6 * 8);
    // 1.0 as little-endian IEEE 754 double: 00 00 00 00 00 00 f0 3f
    expect([...bytes.subarray(128, 136)]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    // -2 as int64 little-endian: fe ff ff ff ff ff ff ff
    const ints = encodeNpy([-2], [1], '<i8');
    expect(ascii(ints.subarray(10, 10 + 46))).toBe(
      "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }".slice(0, 46),
    );
    expect([...ints.subarray(ints.length - 8)]).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });

  it('writes 1-d shapes as (n,) and empty arrays with a zero dimension', () => {
    expect(npyHeaderText('<f8', [5])).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }");
    const empty = encodeNpy([], [0, 9]);
    expect(decodeNpy(empty)).toMatchObject({ shape: [0, 9], values: [] });
    expect(empty.length % 64).toBe(0);
  });

  it('round-trips through decodeNpy, NaN and ±Infinity included', () => {
    const values = [0.1, -0, NaN, Infinity, -Infinity, 1e-300];
    const d = decodeNpy(encodeNpy(values, [3, 2]));
    expect(d.shape).toEqual([3, 2]);
    expect(d.dtype).toBe('<f8');
    expect(d.values).toEqual(values);
    expect(decodeNpy(encodeNpy([0, 2 ** 53 - 1, -7], [3], '<i8')).values).toEqual([0, 2 ** 53 - 1, -7]);
  });

  it('refuses values that do not fill the shape or do not fit int64 exactly', () => {
    expect(() => encodeNpy([1, 2], [3])).toThrow(/do not fill/);
    expect(() => encodeNpy([0.5], [1], '<i8')).toThrow(/not an integer/);
  });
});
