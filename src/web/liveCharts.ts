/**
 * The live charts of a running sweep: training loss and weight fluctuation
 * (mean over layers of the weights' RMS Δ in the latest recording window) per
 * run against the training step, growing as progress events arrive. Points are
 * batched and drawn at most once per animation frame.
 *
 *     const live = await LiveCharts.create(lossEl, fluctEl, config.lrs, stepsPerRun(config, trainCount(data)));
 *     live.add(progress); // from each RunProgress
 */
import type { RunProgress } from '../engine/training/runProgress.js';
import { lrColour, spec, type VegaLiteSpec } from '../report/chartBase.js';
import { lrLabel } from '../report/format.js';
import type { View } from 'vega';
import { insertRows, showChart } from './charting.js';

interface Point {
  run: string;
  lrLabel: string;
  step: number;
  value: number;
}

/** A Vega-Lite line chart of one quantity per run against the step, fed through the named dataset 'points'. */
export function liveSpec(title: string, yTitle: string, lrs: number[], totalSteps: number): VegaLiteSpec {
  return spec({
    title,
    width: 'container',
    height: 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { name: 'points' },
    mark: { type: 'line', strokeWidth: 1.8, point: { size: 14, filled: true } },
    encoding: {
      x: {
        field: 'step',
        type: 'quantitative',
        title: 'training step',
        scale: { domain: [0, totalSteps], nice: false },
      },
      y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: yTitle },
      color: lrColour(lrs),
      detail: { field: 'run' },
      tooltip: [{ field: 'run' }, { field: 'step' }, { field: 'value', format: '.4~g' }],
    },
  });
}

/** The two live charts of one sweep. */
export class LiveCharts {
  private pending: { loss: Point[]; fluct: Point[] } = { loss: [], fluct: [] };
  private lastFluct = new Map<string, number>();
  private scheduled = false;

  private constructor(
    private readonly loss: View,
    private readonly fluct: View,
  ) {}

  /** Draws empty charts for a sweep over `lrs` whose runs take `totalSteps` steps. */
  static async create(
    lossEl: HTMLElement,
    fluctEl: HTMLElement,
    lrs: number[],
    totalSteps: number,
  ): Promise<LiveCharts> {
    const [loss, fluct] = await Promise.all([
      showChart(lossEl, liveSpec('Training loss', 'loss (log)', lrs, totalSteps), { quiet: true }),
      showChart(fluctEl, liveSpec('Weight fluctuation', 'RMS Δ of weights, latest window (log)', lrs, totalSteps), {
        quiet: true,
      }),
    ]);
    return new LiveCharts(loss, fluct);
  }

  /** Adds a progress event's loss, and its fluctuation when a new window has closed. */
  add(p: RunProgress): void {
    const base = { run: p.id, lrLabel: lrLabel(p.lr), step: p.step };
    if (Number.isFinite(p.loss) && p.loss > 0) this.pending.loss.push({ ...base, value: p.loss });
    if (p.fluctuation !== null && p.fluctuation > 0 && this.lastFluct.get(p.id) !== p.fluctuation) {
      this.lastFluct.set(p.id, p.fluctuation);
      this.pending.fluct.push({ ...base, value: p.fluctuation });
    }
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  /** Draws the points gathered since the last frame. */
  flush(): void {
    this.scheduled = false;
    const { loss, fluct } = this.pending;
    this.pending = { loss: [], fluct: [] };
    if (loss.length) void insertRows(this.loss, 'points', loss);
    if (fluct.length) void insertRows(this.fluct, 'points', fluct);
  }

  /** Frees the views. */
  finalize(): void {
    this.loss.finalize();
    this.fluct.finalize();
  }
}
