/**
 * Reading data files without letting a small file cost far more than its size: a file's header is read first, and the
 * file is refused (one line) when its size, or the size it decompresses to, differs from what the header promises;
 * only then is the rest read or inflated, into no more than the header's bytes. A sparse file of holes, a truncated
 * copy or a .gz of gigabytes of zeros is refused with memory near the bytes actually read.
 *
 *     const bytes = readIdxBytes('data/train-images-idx3-ubyte.gz'); // inflated to exactly the header's length
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { UsageError } from '../contract/errors.js';
import { idxByteLength, isGzip } from '../engine/data/idx.js';
import { readFileOrRefuse } from '../store/files.js';

/** The compressed bytes read at most to find an IDX header inside a .gz (a gzip header may carry a long file name). */
const GZIP_HEAD_LIMIT = 1 << 16;

/** The first `n` bytes of a file (fewer when it is shorter), the rest left unread. */
export function readHead(path: string, n: number): Uint8Array {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`${path} cannot be read (${err.code ?? err.message}): check that it is a readable file`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** A file's bytes as a view of the buffer read (no second copy). */
export function readBytes(path: string): Uint8Array {
  const b = readFileOrRefuse(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The IDX header's promise about a file, or a UsageError naming it. */
function promised(head: Uint8Array, path: string): number | null {
  try {
    return idxByteLength(head, path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * An IDX file's bytes (a .gz inflated), read only when its size agrees with its header: a plain file of another size is
 * refused unread, and a .gz is inflated into at most the bytes its header promises (no slack: an IDX file holds
 * nothing after its data), so one that inflates to more is refused with that much memory at most.
 */
export function readIdxBytes(path: string): Uint8Array {
  const size = statSync(path).size;
  const head = readHead(path, 40);
  if (!isGzip(head)) {
    const expected = promised(head, path);
    if (expected !== null && expected !== size)
      throw new UsageError(
        `${path} is ${size} bytes, but its IDX header promises ${expected}: truncated, padded or sparse, re-download it`,
      );
    return new Uint8Array(readFileOrRefuse(path));
  }
  const raw = readBytes(path);
  let expected: number | null = null;
  try {
    // the header: inflate growing prefixes of the compressed bytes (each inflates to at most ~1032 × its length)
    for (let n = 256; expected === null; n *= 4) {
      const whole = n >= raw.length;
      const part = gunzipSync(raw.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
      expected = promised(part.subarray(0, 40), path);
      if (expected === null && (whole || n >= GZIP_HEAD_LIMIT))
        throw new UsageError(`${path} holds no IDX header in its first bytes: re-download or decompress it`);
    }
    return new Uint8Array(gunzipSync(raw, { maxOutputLength: expected }));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      throw new UsageError(
        `${path} decompresses to more than the ${expected} bytes its header promises: damaged or not an IDX file, re-download it`,
      );
    throw new UsageError(`${path} is not a valid gzip file (${(e as Error).message}): re-download or decompress it`);
  }
}
