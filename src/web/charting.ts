/**
 * The chart renderer (vegaView.ts: vega, vega-lite, vega-interpreter, ~0.9 MB) loaded on the first chart, so a page
 * that only trains through fluctlab/web's `sweep` never downloads it.
 *
 *     const view = await showChart(element, chart.spec);
 */
import type { View } from 'vega';
import type { VegaLiteSpec } from '../report/chartBase.js';

let renderer: Promise<typeof import('./vegaView.js')> | null = null;
const load = () => (renderer ??= import('./vegaView.js'));

/** Compiles a Vega-Lite spec and renders it as SVG inside `container` (replacing its content). */
export async function showChart(
  container: HTMLElement,
  spec: VegaLiteSpec,
  options: { quiet?: boolean } = {},
): Promise<View> {
  return (await load()).showChart(container, spec, options);
}

/** Appends rows to a view's named dataset and redraws (the renderer is loaded: the view came from showChart). */
export async function insertRows(view: View, dataset: string, rows: object[]): Promise<void> {
  (await load()).insertRows(view, dataset, rows);
}
