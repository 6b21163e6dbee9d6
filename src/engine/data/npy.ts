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
  const header = `${dict + ' '.repeat(total - 10 - dict.length - 1)}\n`;
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
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('npy: not a .npy file (magic missing)');
  if (bytes[6] !== 1 || bytes[7] !== 0) throw new Error(`npy: version ${bytes[6]}.${bytes[7]}, expected 1.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLength));
  const m = /^\{'descr': '(<f8|<i8)', 'fortran_order': False, 'shape': \(([\d, ]*)\), \} *\n$/.exec(header);
  if (!m) throw new Error(`npy: header not understood: ${JSON.stringify(header)}`);
  const shape = m[2]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const dataOffset = 10 + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== dataOffset + 8 * count)
    throw new Error(`npy: ${bytes.length - dataOffset} data bytes for ${count} values`);
  const values: number[] = [];
  for (let i = 0; i < count; i++)
    values.push(
      m[1] === '<f8' ? view.getFloat64(dataOffset + 8 * i, true) : Number(view.getBigInt64(dataOffset + 8 * i, true)),
    );
  return { dtype: m[1] as NpyDtype, shape, dataOffset, values };
}

/** The element types an array of a data set may have in a .npy file. */
export type NpyElementType = 'u1' | 'i1' | 'u2' | 'i2' | 'u4' | 'i4' | 'i8' | 'u8' | 'f4' | 'f8' | 'b1';

/** A .npy array of any of the data dtypes: its element type, shape and values (integers of 64 bits as numbers). */
export interface NpyTensor {
  type: NpyElementType;
  shape: number[];
  data:
    | Uint8Array
    | Int8Array
    | Uint16Array
    | Int16Array
    | Uint32Array
    | Int32Array
    | Float32Array
    | Float64Array
    | BigInt64Array
    | BigUint64Array;
}

const ELEMENT_BYTES: Record<NpyElementType, number> = {
  u1: 1,
  i1: 1,
  b1: 1,
  u2: 2,
  i2: 2,
  u4: 4,
  i4: 4,
  f4: 4,
  i8: 8,
  u8: 8,
  f8: 8,
};

/**
 * Parses a .npy file as numpy.save writes it (versions 1.0–3.0, C order, little-endian or one-byte types); `name`
 * goes into the errors. Throws one line on anything else: a big-endian or Fortran-order array, an object or structured
 * dtype, a truncated file.
 *
 *     parseNpy(readFileSync('train_x.npy'), 'train_x.npy') // { type: 'u1', shape: [60000, 28, 28], data: Uint8Array }
 */
export function parseNpy(bytes: Uint8Array, name: string): NpyTensor {
  const { type, shape, offset, size } = npyHeader(bytes, name, bytes.length);
  if (bytes.length - offset < size)
    throw new Error(
      `${name} is truncated: its shape (${shape.join(', ')}) needs ${size} data bytes, the file has ${bytes.length - offset}`,
    );
  if (bytes.length - offset > size)
    throw new Error(
      `${name} has ${bytes.length - offset - size} bytes after its data: not a single array (an .npz or a concatenation?)`,
    );
  return { type, shape, data: npyData(bytes, type, offset, size) };
}

/** The longest .npy header read (numpy writes a few hundred bytes; a longer one is not an array a user saved). */
export const MAX_NPY_HEADER_BYTES = 1 << 20;

/**
 * The byte length a .npy file's header promises (header and data) and its shape, from the file's first bytes (at
 * least 12 + the header, MAX_NPY_HEADER_BYTES at most); null when `head` is shorter than the header. Throws one line
 * on a header that is not one. Lets a reader refuse a file whose size differs from its header's (a truncated or sparse
 * file) before reading it.
 */
export function npyByteLength(head: Uint8Array, name: string): { bytes: number; shape: number[] } | null {
  if (head.length < 12) return null;
  const major = head[6];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES)
    throw new Error(`${name} has a .npy header of ${headerLength} bytes: not an array numpy.save wrote`);
  if (head.length < (major === 1 ? 10 : 12) + headerLength) return null;
  const h = npyHeader(head, name, Number.POSITIVE_INFINITY);
  return { bytes: h.offset + h.size, shape: h.shape };
}

/** A .npy file's preamble and header dict: element type, shape, where the data starts and its byte length. */
function npyHeader(
  bytes: Uint8Array,
  name: string,
  fileLength: number,
): { type: NpyElementType; shape: number[]; offset: number; size: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error(`${name} is not a .npy file (its first bytes are not \\x93NUMPY)`);
  const major = bytes[6];
  if (major < 1 || major > 3)
    throw new Error(`${name} is .npy version ${major}.${bytes[7]}: save it with numpy.save (versions 1–3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new Error(`${name} is truncated inside its header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + headerLength > Math.min(bytes.length, fileLength))
    throw new Error(`${name} is truncated inside its header`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new Error(
      `${name} has a .npy header this reader does not understand (${JSON.stringify(header.trim().slice(0, 80))}): save a plain array with numpy.save`,
    );
  if (fortran === 'True')
    throw new Error(`${name} is stored in Fortran order: save numpy.ascontiguousarray(a) instead`);
  const m = /^([<|=])([uifb])(\d)$/.exec(descr);
  const type = m ? (`${m[2]}${m[3]}` as NpyElementType) : null;
  if (!m || !type || !(type in ELEMENT_BYTES) || (m[1] === '|' && ELEMENT_BYTES[type] !== 1))
    throw new Error(`${name} has dtype ${descr}: use uint8 or float32 images and integer labels (little-endian)`);
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (dims.some((d) => !/^\d+$/.test(d)))
    throw new Error(`${name} has shape (${shapeText}), which is not a list of sizes`);
  const shape = dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  return { type, shape, offset: start + headerLength, size: count * ELEMENT_BYTES[type] };
}

/** The data of a .npy file as a typed array of its element type. */
function npyData(bytes: Uint8Array, type: NpyElementType, offset: number, size: number): NpyTensor['data'] {
  // copy to an aligned buffer of its own: typed arrays need aligned offsets, and callers may keep the array
  const own = new ArrayBuffer(size);
  new Uint8Array(own).set(bytes.subarray(offset, offset + size));
  const data = {
    u1: Uint8Array,
    b1: Uint8Array,
    i1: Int8Array,
    u2: Uint16Array,
    i2: Int16Array,
    u4: Uint32Array,
    i4: Int32Array,
    f4: Float32Array,
    f8: Float64Array,
    i8: BigInt64Array,
    u8: BigUint64Array,
  }[type];
  return new data(own);
}
