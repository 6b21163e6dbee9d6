/**
 * The grid of original versus reconstructed images, one row per learning
 * rate, as one SVG (embedded PNG images plus text labels). Pure: the PNG
 * encoder is injected (node/png.ts in Node; a canvas could do it in a page).
 *
 *     const svg = reconstructionGridSvg(rows, 28, 28, pngDataUrl, ['circle', …]);
 */
import { escapeHtml } from './html.js';

/** Encodes pixels (width × height, row-major; 1 channel grey or 3 interleaved RGB) as a data: URL of an image. */
export type ImageEncoder = (pixels: Uint8Array, width: number, height: number, channels: 1 | 3) => string;

/** One row of the grid: a label and its images (0…255 values, rows × cols × channels each). */
export interface GridRow {
  label: string;
  images: number[][];
}

/** Nearest-neighbour enlargement by an integer factor (crisp pixels in every viewer, without relying on CSS); channels stay interleaved. */
export function enlarge(pixels: ArrayLike<number>, rows: number, cols: number, k: number, channels = 1): Uint8Array {
  const out = new Uint8Array(rows * k * cols * k * channels);
  for (let i = 0; i < rows * k; i++) {
    for (let j = 0; j < cols * k; j++) {
      const from = (Math.floor(i / k) * cols + Math.floor(j / k)) * channels;
      for (let c = 0; c < channels; c++) out[(i * cols * k + j) * channels + c] = pixels[from + c];
    }
  }
  return out;
}

/** The grid as SVG: a header of column names, then each row's label and images (grey, or RGB with `channels` 3). */
export function reconstructionGridSvg(
  rows: GridRow[],
  imgRows: number,
  imgCols: number,
  encode: ImageEncoder,
  columnNames: string[] = [],
  scale = 3,
  channels: 1 | 3 = 1,
): string {
  const w = imgCols * scale;
  const h = imgRows * scale;
  const gap = 6;
  const labelWidth = 120;
  const header = columnNames.length ? 20 : 0;
  const count = Math.max(0, ...rows.map((r) => r.images.length));
  const width = labelWidth + count * (w + gap);
  const height = header + rows.length * (h + gap);
  const parts: string[] = [];
  columnNames.slice(0, count).forEach((n, c) => {
    parts.push(
      `<text x="${labelWidth + c * (w + gap) + w / 2}" y="14" text-anchor="middle" font-size="12">${escapeHtml(n)}</text>`,
    );
  });
  rows.forEach((r, i) => {
    const y = header + i * (h + gap);
    parts.push(
      `<text x="${labelWidth - 10}" y="${y + h / 2 + 4}" text-anchor="end" font-size="13">${escapeHtml(r.label)}</text>`,
    );
    r.images.forEach((img, c) => {
      parts.push(
        `<image x="${labelWidth + c * (w + gap)}" y="${y}" width="${w}" height="${h}" href="${encode(enlarge(img, imgRows, imgCols, scale, channels), w, h, channels)}"/>`,
      );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica Neue, Helvetica, Arial, DejaVu Sans, sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
}
