/** Test helper: .npy files of any dtype, written the way numpy.save (format 1.0) writes them. */

/** The bytes of a .npy file holding `values` with numpy dtype string `descr` (e.g. '|u1', '<f4', '<i8') and `shape`. */
export function npyBytes(descr: string, shape: number[], values: ArrayLike<number>, fortran = false): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = `${dict + ' '.repeat(total - 10 - dict.length - 1)}\n`;
  const size = Number(descr.slice(2));
  const out = new Uint8Array(total + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const little = descr[0] !== '>';
  for (let i = 0; i < values.length; i++) {
    const o = total + i * size;
    const v = values[i];
    const kind = descr[1] + size;
    if (kind === 'u1' || kind === 'b1') out[o] = v;
    else if (kind === 'i1') view.setInt8(o, v);
    else if (kind === 'i2') view.setInt16(o, v, little);
    else if (kind === 'u2') view.setUint16(o, v, little);
    else if (kind === 'i4') view.setInt32(o, v, little);
    else if (kind === 'f4') view.setFloat32(o, v, little);
    else if (kind === 'f8') view.setFloat64(o, v, little);
    else if (kind === 'i8') view.setBigInt64(o, BigInt(v), little);
    else throw new Error(`npyBytes: dtype ${descr} not supported by the helper`);
  }
  return out;
}

/** Four files of a small classification set: `n` train and `m` test grey images of h×w (labels i mod classes). */
export function npySet(n: number, m: number, h: number, w: number, classes: number, channels = 1) {
  const img = (count: number, salt: number) =>
    Array.from({ length: count * h * w * channels }, (_, i) => (i * 37 + salt * 11) % 256);
  const shape = (count: number) => (channels === 1 ? [count, h, w] : [count, h, w, channels]);
  return {
    trainX: npyBytes('|u1', shape(n), img(n, 1)),
    trainY: npyBytes(
      '<i8',
      [n],
      Array.from({ length: n }, (_, i) => i % classes),
    ),
    testX: npyBytes('|u1', shape(m), img(m, 2)),
    testY: npyBytes(
      '<i8',
      [m],
      Array.from({ length: m }, (_, i) => i % classes),
    ),
  };
}
