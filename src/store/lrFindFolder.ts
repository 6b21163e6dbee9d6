/**
 * The folder of an LR range test: lr-find.json, lr-find.html and figures/ (SVG and PNG), written all or nothing into a
 * new folder.
 */
import { FLUCTLAB_VERSION } from '../contract/version.js';
import type { LrFindResult } from '../engine/training/lrFind.js';
import { lrFindCharts } from '../report/lrFindCharts.js';
import { lrFindHtml } from '../report/lrFindHtml.js';
import { NEW_FOLDER_ONLY, writeExportFolder } from './folderWriter.js';
import { renderFigures } from './render.js';

/** Renders the charts and writes lr-find.json, lr-find.html and figures/ into `out`, a new folder. */
export async function writeLrFindFolder(out: string, r: LrFindResult): Promise<void> {
  const { figures, files } = await renderFigures(lrFindCharts(r), 'figures', []);
  const html = lrFindHtml(r, figures, new Date().toISOString(), FLUCTLAB_VERSION);
  writeExportFolder(
    out,
    [
      { path: 'lr-find.json', bytes: `${JSON.stringify(r, null, 1)}\n` },
      ...files,
      { path: 'lr-find.html', bytes: html },
    ],
    NEW_FOLDER_ONLY,
    null,
  );
}
