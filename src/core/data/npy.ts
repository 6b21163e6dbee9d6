/**
 * The NumPy .npy format, version 1.0, written and read without numpy: a
 * 10-byte preamble (magic "\x93NUMPY", version 1.0, little-endian uint16 header
 * length), an ASCII header dict padded with spaces to a 64-byte boundary and
 * ending in "\n", then the array's bytes in C order. `numpy.load` reads it.
 * Pure (bytes in, bytes out), so a browser can produce the same files.
 *
 *     encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]) // numpy.load → array([[1., 2., 3.], [4., 5., 6.]])
 */

/** The dtypes fluctlab writes: little-endian float64 and int64. */
export type NpyDtype = '<f8' | '<i8';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The header dict as numpy writes it: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }". */
export function npyHeaderText(dtype: NpyDtype, shape: readonly number[]): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${dims}, }`;
}

/** Encodes values (row-major, float64 or int64 by `dtype`) as a .npy file. */
export function encodeNpy(values: ArrayLike<number>, shape: readonly number[], dtype: NpyDtype = '<f8'): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`npy: ${values.length} values do not fill shape (${shape.join(', ')})`);
  const dict = npyHeaderText(dtype, shape);
  // Preamble (10 bytes) + dict + padding + "\n" is a multiple of 64, so the data is aligned (as numpy writes it).
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - 10 - dict.length - 1) + '\n';
  const bytes = new Uint8Array(total + count * 8);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (dtype === '<f8') view.setFloat64(total + 8 * i, v, true);
    else {
      if (!Number.isSafeInteger(v)) throw new Error(`npy: ${v} is not an integer that int64 holds exactly`);
      view.setBigInt64(total + 8 * i, BigInt(v), true);
    }
  }
  return bytes;
}

/** A decoded .npy file. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** offset of the data in the file */
  dataOffset: number;
  values: number[];
}

/** Decodes a .npy file that encodeNpy wrote (version 1.0, C order, '<f8' or '<i8'); throws on anything else. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('npy: not a .npy file (magic missing)');
  if (bytes[6] !== 1 || bytes[7] !== 0) throw new Error(`npy: version ${bytes[6]}.${bytes[7]}, expected 1.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLength));
  const m = /^\{'descr': '(<f8|<i8)', 'fortran_order': False, 'shape': \(([\d, ]*)\), \} *\n$/.exec(header);
  if (!m) throw new Error(`npy: header not understood: ${JSON.stringify(header)}`);
  const shape = m[2].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const dataOffset = 10 + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== dataOffset + 8 * count) throw new Error(`npy: ${bytes.length - dataOffset} data bytes for ${count} values`);
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(m[1] === '<f8' ? view.getFloat64(dataOffset + 8 * i, true) : Number(view.getBigInt64(dataOffset + 8 * i, true)));
  return { dtype: m[1] as NpyDtype, shape, dataOffset, values };
}
