/**
 * A minimal PNG encoder for 8-bit greyscale and RGB images (the reconstruction grid):
 * signature, IHDR, one zlib-compressed IDAT with filter 0 on every row, IEND.
 *
 *     const url = pngDataUrl(pixels, 28, 28);    // grey: data:image/png;base64,…
 *     const rgb = pngDataUrl(pixels, 32, 32, 3); // RGB, pixels interleaved
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309, as PNG chunks use it) of bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** The PNG file of a greyscale (1 channel) or RGB (3 channels, interleaved) image, width × height pixels row-major. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 = 1): Uint8Array {
  if (pixels.length !== width * height * channels)
    throw new Error(`encodePng: ${pixels.length} values for ${width}×${height}×${channels}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: greyscale or truecolour
  const line = width * channels;
  const raw = new Uint8Array(height * (line + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * line, (y + 1) * line), y * (line + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]),
  );
}

/** A data: URL of the PNG, for inline images. */
export function pngDataUrl(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 = 1): string {
  return `data:image/png;base64,${Buffer.from(encodePng(pixels, width, height, channels)).toString('base64')}`;
}
