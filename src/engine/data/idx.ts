/**
 * IDX file reader (the format of MNIST and Fashion-MNIST): bytes in, typed
 * arrays out. Pure: no file system; callers decompress `.gz` themselves
 * (`isGzip` tells them when to).
 *
 *     const images = parseIdx(bytes, 'train-images'); // { dims: [60000, 28, 28], data: Uint8Array }
 */

/** A parsed IDX tensor; `data` is a zero-copy view into the input bytes for uint8 files. */
export interface IdxTensor {
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { name: string; size: number }> = {
  8: { name: 'uint8', size: 1 },
  9: { name: 'int8', size: 1 },
  11: { name: 'int16', size: 2 },
  12: { name: 'int32', size: 4 },
  13: { name: 'float32', size: 4 },
  14: { name: 'float64', size: 8 },
};

/** Refuse headers that ask for more than this many elements (the full MNIST train set is 47M). */
export const MAX_IDX_ELEMENTS = 2 ** 31 - 1;

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The byte length an IDX file's header promises (header and data), from its first bytes, or null when `head` is too
 * short to hold the whole header; throws on a header that is not IDX. Lets a reader refuse a file whose size (or whose
 * decompressed size) differs from its header's before it reads (or inflates) the rest.
 *
 *     idxByteLength(first36Bytes, 'train-images') // 47040016 for 60000×28×28 uint8
 */
export function idxByteLength(head: Uint8Array, name = 'IDX file'): number | null {
  if (head.length < 4) return null;
  if (head[0] !== 0 || head[1] !== 0 || !TYPES[head[2]] || head[3] < 1 || head[3] > 8) {
    parseIdx(head.subarray(0, 4), name); // throws the reader's own words for a bad magic number, type or rank
  }
  const rank = head[3];
  const headerLength = 4 + 4 * rank;
  if (head.length < headerLength) return null;
  const view = new DataView(head.buffer, head.byteOffset, headerLength);
  let count = 1;
  for (let i = 0; i < rank; i++) count *= view.getUint32(4 + 4 * i, false);
  if (count === 0 || count > MAX_IDX_ELEMENTS) parseIdx(head.subarray(0, headerLength), name);
  return headerLength + count * TYPES[head[2]].size;
}

/**
 * Parses IDX bytes (uncompressed), validating the magic number, dimensions and length; `name` is used in errors.
 *
 *     const images = parseIdx(bytes, 'train-images'); // { dims: [60000, 28, 28], data: Uint8Array }
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxTensor {
  if (isGzip(bytes)) throw new Error(`${name} is gzip-compressed: decompress it before parsing`);
  if (bytes.length < 4) throw new Error(`${name} is truncated: ${bytes.length} bytes, not even an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(
      `${name} is not an IDX file: bad magic number (first bytes ${hex(bytes[0])} ${hex(bytes[1])}, expected 00 00)`,
    );
  }
  const type = TYPES[bytes[2]];
  if (!type) throw new Error(`${name} has unknown IDX element type ${hex(bytes[2])}`);
  const rank = bytes[3];
  if (rank < 1 || rank > 8) throw new Error(`${name} has an unsupported IDX rank ${rank} (1 to 8 supported)`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength)
    throw new Error(`${name} is truncated inside its header (${bytes.length} of ${headerLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0) throw new Error(`${name} has a zero-length dimension ${i}`);
    dims.push(d);
    count *= d;
  }
  if (count > MAX_IDX_ELEMENTS) {
    throw new Error(
      `${name} header asks for ${dims.join('x')} = ${count} elements, more than the ${MAX_IDX_ELEMENTS} allowed: the file is corrupt`,
    );
  }
  const expected = headerLength + count * type.size;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'longer than its header says';
    throw new Error(
      `${name} is ${what}: header ${dims.join('x')} ${type.name} needs ${expected} bytes, file has ${bytes.length}`,
    );
  }
  const offset = bytes.byteOffset + headerLength;
  if (type.name === 'uint8') return { dims, data: new Uint8Array(bytes.buffer, offset, count) };
  if (type.name === 'int8') return { dims, data: new Int8Array(bytes.buffer, offset, count) };
  // Multi-byte IDX data is big-endian: decode into a fresh array.
  const out =
    type.name === 'int16'
      ? new Int16Array(count)
      : type.name === 'int32'
        ? new Int32Array(count)
        : type.name === 'float32'
          ? new Float32Array(count)
          : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const p = headerLength + i * type.size;
    out[i] =
      type.name === 'int16'
        ? view.getInt16(p, false)
        : type.name === 'int32'
          ? view.getInt32(p, false)
          : type.name === 'float32'
            ? view.getFloat32(p, false)
            : view.getFloat64(p, false);
  }
  return { dims, data: out };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
