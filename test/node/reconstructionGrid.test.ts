/**
 * The reproduce report's reconstruction grid on a colour autoencoder: its images are RGB PNGs with the record's
 * pixels, not a grey reading of interleaved channels.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/studies/paper/paperReport.js';
import { enlarge } from '../../src/report/reconstructionGrid.js';
import type { StudyAnalysis } from '../../src/studies/paper/paperAnalysis.js';

/** The pixels and colour type of each PNG the SVG embeds. */
function images(svg: string): { colourType: number; pixels: number[] }[] {
  return [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map(([, b64]) => {
    const png = Buffer.from(b64, 'base64');
    const [width, colourType] = [png.readUInt32BE(16), png[25]];
    const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
    const line = width * (colourType === 2 ? 3 : 1);
    const pixels: number[] = [];
    for (let at = 0; at < raw.length; at += line + 1) pixels.push(...raw.subarray(at + 1, at + 1 + line));
    return { colourType, pixels };
  });
}

describe('the reconstruction grid', () => {
  it('shows a 3-channel autoencoder in colour, each pixel its own RGB', () => {
    const original = [[255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]];
    const reconstructed = [[200, 10, 10, 10, 200, 10, 10, 10, 200, 40, 50, 60]];
    const reconstructions = { rows: 2, cols: 2, channels: 3, testIndices: [0], labels: [0], original, reconstructed };
    const study = {
      task: 'reconstruction',
      tau: 0.1,
      lrs: [{ lr: 0.01, reconstructions }],
    } as unknown as StudyAnalysis;
    const shown = images(gridOf(study, 'cifar10:/data')!);
    expect(shown.map((i) => i.colourType)).toEqual([2, 2]);
    expect(shown[0].pixels).toEqual([...enlarge(original[0], 2, 2, 3, 3)]);
    expect(shown[1].pixels).toEqual([...enlarge(reconstructed[0], 2, 2, 3, 3)]);
  });

  it('shows a 1-channel autoencoder in grey', () => {
    const reconstructions = {
      rows: 1,
      cols: 2,
      testIndices: [0],
      labels: [0],
      original: [[0, 255]],
      reconstructed: [[9, 99]],
    };
    const study = {
      task: 'reconstruction',
      tau: 0.1,
      lrs: [{ lr: 0.01, reconstructions }],
    } as unknown as StudyAnalysis;
    const shown = images(gridOf(study, 'shapes')!);
    expect(shown.map((i) => i.colourType)).toEqual([0, 0]);
    expect(shown[1].pixels).toEqual([...enlarge([9, 99], 1, 2, 3)]);
  });
});
