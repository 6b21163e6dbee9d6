/**
 * The HPARAMS tab's fluctuation metrics beside accuracy and loss: per layer, the weights' η-free measures (effective
 * step RMS Δ/η, update-to-weight ratio ‖Δ‖/‖W‖) and final fluctuation statistics (RMS Δ, participation ratio, spread
 * of the spread S), each from the run's last window, as `hparams/<layer>/<measure>` written at the run's last step, so
 * the parallel-coordinates view can set them against η and the outcome. Written for runs that ended ok only, as the
 * outcome is.
 *
 *     finalFluctuationMetrics(record); // [['hparams/dense1/effective_rms', 0.41], …]
 */
import type { RunRecord } from '../../contract/record.js';
import type { TensorFluctuation } from '../../contract/windowRecord.js';
import type { MetricSpec } from './events.js';

interface LayerMetric {
  name: string;
  label: string;
  description: string;
  value: (t: TensorFluctuation) => number | null | undefined;
}

/** The measures, in the order the HPARAMS tab lists them for each layer. */
const LAYER_METRICS: readonly LayerMetric[] = [
  {
    name: 'effective_rms',
    label: 'effective step RMS Δ/η',
    description: "weights' RMS of each step's Δ over the learning rate in force, last window (free of η's scale)",
    value: (t) => t.effectiveRms,
  },
  {
    name: 'update_ratio',
    label: '‖Δ‖/‖W‖',
    description: "weights' update-to-weight ratio, last window",
    value: (t) => t.updateRatio,
  },
  { name: 'rms_delta', label: 'RMS Δ', description: "weights' RMS Δ, last window", value: (t) => t.rms },
  {
    name: 'participation_ratio',
    label: 'participation ratio',
    description: "(Σf)² / (N Σf²) of the weights' neuron fluctuations, last window",
    value: (t) => t.participationRatio,
  },
  {
    name: 'spread_of_spread',
    label: 'spread of spread S',
    description: "std over neurons of each neuron's spread, weights, last window",
    value: (t) => t.spreadOfSpread,
  },
];

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** The tag of one layer's final measure. */
export const fluctuationMetricTag = (layer: string, name: string): string => `hparams/${layer}/${name}`;

/** A run's final fluctuation metrics (tag, value) from its last window's weights; none unless the run ended ok. */
export function finalFluctuationMetrics(r: RunRecord): [string, number][] {
  const last = r.windows[r.windows.length - 1];
  if (r.status !== 'ok' || !last) return [];
  const out: [string, number][] = [];
  for (const l of last.layers)
    for (const m of LAYER_METRICS) {
      const v = m.value(l.weights);
      if (isNum(v)) out.push([fluctuationMetricTag(l.layer, m.name), v]);
    }
  return out;
}

/** The metrics the experiment lists: each layer's final measures, those that some run has a value for. */
export function fluctuationMetricSpecs(records: readonly RunRecord[]): MetricSpec[] {
  const had = new Set(records.flatMap((r) => finalFluctuationMetrics(r).map(([tag]) => tag)));
  const layers = records.find((r) => r.windows.length > 0)?.windows[0].layers.map((l) => l.layer) ?? [];
  return layers.flatMap((layer) =>
    LAYER_METRICS.filter((m) => had.has(fluctuationMetricTag(layer, m.name))).map((m) => ({
      tag: fluctuationMetricTag(layer, m.name),
      displayName: `${layer} ${m.label}`,
      description: m.description,
    })),
  );
}
