import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../src/report/tensorboard/protobuf.js';
import { crc32c, frameRecord, maskedCrc32c } from '../../src/report/tensorboard/records.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('TensorBoard event encoding', () => {
  it('CRC-32C gives the Castagnoli check value 0xE3069283 for "123456789"', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  });

  it('masks a CRC as TensorFlow does: rotate right by 15, add 0xa282ead8', () => {
    const c = 0xe3069283;
    expect(maskedCrc32c(ascii('123456789'))).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
  });

  it('frames a record as length, masked CRC of the length, data, masked CRC of the data', () => {
    const data = ascii('hello');
    const f = frameRecord(data);
    const v = new DataView(f.buffer);
    expect(f.length).toBe(5 + 16);
    expect(v.getUint32(0, true)).toBe(5);
    expect(v.getUint32(4, true)).toBe(0);
    expect(v.getUint32(8, true)).toBe(maskedCrc32c(f.subarray(0, 8)));
    expect(Array.from(f.subarray(12, 17))).toEqual(Array.from(data));
    expect(v.getUint32(17, true)).toBe(maskedCrc32c(data));
  });

  it('writes protobuf fields in the wire format: varint 150 → 08 96 01, string → 12 len bytes, double → 19 + 8 bytes LE', () => {
    expect(Array.from(new ProtoWriter().uint(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, ...ascii('testing')]);
    expect(Array.from(new ProtoWriter().double(3, 1).finish())).toEqual([0x19, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(Array.from(new ProtoWriter().uint(2, 2 ** 40).finish())).toEqual([0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
  });
});
