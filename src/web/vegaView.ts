/**
 * Renders Vega-Lite specifications into the page as SVG, under a strict
 * Content-Security-Policy: expressions run through vega-interpreter instead of
 * being compiled with `new Function`, and a loader that refuses every URL keeps
 * charts from reaching the network (their data is inline or streamed in).
 *
 *     const view = await showChart(element, chart.spec);
 */
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VegaLiteSpec } from '../report/chartBase.js';

/** A vega loader that fails on any URL: nothing a chart shows comes from elsewhere. */
function offlineLoader(): vega.Loader {
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`chart tried to load ${uri}: chart data must be inline`);
  };
  return loader;
}

/** Compiles a Vega-Lite spec and renders it as SVG inside `container` (replacing its content). */
export async function showChart(
  container: HTMLElement,
  spec: VegaLiteSpec,
  options: { quiet?: boolean } = {},
): Promise<vega.View> {
  const vg = compile(spec as unknown as TopLevelSpec).spec;
  container.replaceChildren();
  const view = new vega.View(vega.parse(vg, undefined, { ast: true }), {
    renderer: 'svg',
    container,
    hover: true,
    loader: offlineLoader(),
    expr: expressionInterpreter,
    // quiet: a live chart starts empty, which Vega would warn about (empty extents, an empty log domain)
    logLevel: options.quiet ? vega.Error : vega.Warn,
  } as vega.ViewOptions);
  await view.runAsync();
  return view;
}

/** Appends rows to a view's named dataset and redraws. */
export function insertRows(view: vega.View, dataset: string, rows: object[]): void {
  void view.change(dataset, vega.changeset().insert(rows)).runAsync();
}
