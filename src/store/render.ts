/**
 * Renders the report's Vega-Lite specifications to SVG (vega's headless view,
 * no DOM, no canvas) and SVG to PNG (resvg). Node-only: resvg is a native
 * module; everything it needs ships in the npm packages, nothing is fetched.
 *
 *     const svg = await renderSvg(chart.spec);
 *     const png = svgToPng(svg); // 2× scale, for papers
 *     const { figures, files } = await renderFigures(charts, 'figures', warnings); // for a page and writeFolder
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart, VegaLiteSpec } from '../report/chartBase.js';
import type { RenderedFigure } from '../report/html.js';
import type { FolderFile } from './folderWriter.js';

/** A vega / vega-lite logger that collects warnings and errors into `sink` instead of printing them. */
function collectingLogger(sink: string[]) {
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...a: unknown[]) => {
      sink.push(`error: ${a.join(' ')}`);
      return logger;
    },
    warn: (...a: unknown[]) => {
      sink.push(`warning: ${a.join(' ')}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** The SVG text of a Vega-Lite spec, rendered without a browser. Warnings of vega and vega-lite go to `warnings`. */
export async function renderSvg(spec: VegaLiteSpec, warnings: string[] = []): Promise<string> {
  const logger = collectingLogger(warnings);
  const vgSpec = compile(spec as unknown as TopLevelSpec, { logger }).spec;
  // A loader that refuses every URL: report data is inline, and nothing may reach the network.
  const loader = vega.loader({ mode: 'file' });
  loader.load = async (uri: string) => {
    throw new Error(`chart tried to load ${uri}: report data must be inline`);
  };
  const view = new vega.View(vega.parse(vgSpec), {
    renderer: 'none',
    loader,
    logger: logger as unknown as vega.LoggerInterface,
    logLevel: vega.Warn,
  });
  try {
    return roundCoordinates(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** A PNG of an SVG at `scale` × its size (2 by default: about 200 dpi for a figure printed at its CSS size). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Each chart rendered: the figures a page inlines, and their files `<folder>/<id>.svg` and `.png`. Warnings go to `warnings`. */
export async function renderFigures(
  charts: readonly Chart[],
  folder: string,
  warnings: string[],
): Promise<{ figures: RenderedFigure[]; files: FolderFile[] }> {
  const figures: RenderedFigure[] = [];
  const files: FolderFile[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec, warnings);
    files.push(
      { path: `${folder}/${chart.id}.svg`, bytes: svg },
      { path: `${folder}/${chart.id}.png`, bytes: svgToPng(svg) },
    );
    figures.push({ id: chart.id, title: chart.title, caption: chart.caption, svg });
  }
  return { figures, files };
}

/** Rounds geometry attributes to 2 decimals (0.01 px): vega writes 16 digits, which triples the size of a heatmap. */
export function roundCoordinates(svg: string): string {
  return svg.replace(
    / (d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g,
    (_m, k: string, v: string) => ` ${k}="${v.replace(/(\d*\.\d{2})\d+/g, '$1')}"`,
  );
}
