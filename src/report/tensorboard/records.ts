/**
 * TFRecord framing, as TensorBoard's writer frames every event of an
 * `events.out.tfevents.*` file:
 *
 *     uint64 length (little-endian) · uint32 masked CRC-32C of the length · data · uint32 masked CRC-32C of the data
 *
 * masked(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8, mod 2^32 (TensorFlow's
 * crc32c::Mask, which keeps CRCs of CRCs from looking like data).
 *
 *     const framed = frameRecord(new TextEncoder().encode('hello'));
 */
import { concatBytes } from '../../engine/data/bytes.js';

/** CRC-32C (Castagnoli, reflected polynomial 0x82f63b78) table. */
const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C of the bytes. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TensorFlow's masked CRC. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** One framed record. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 16);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length % 0x100000000, true);
  view.setUint32(4, Math.floor(data.length / 0x100000000), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Concatenates framed records into one file's bytes. */
export function concatRecords(records: readonly Uint8Array[]): Uint8Array {
  return concatBytes(records.map(frameRecord));
}
