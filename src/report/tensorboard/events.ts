/**
 * TensorBoard's Event messages (tensorboard/compat/proto/event.proto,
 * summary.proto, histogram.proto and the hparams plugin's plugin_data.proto,
 * api.proto), encoded with our small protobuf writer. Field numbers are
 * those of the .proto files.
 *
 *     const e = scalarEvent(1733150000, 100, 'train/loss', 0.31);
 */
import { ProtoWriter } from './protobuf.js';

/** The version string of the first event of every file ("brain.Event:2", as TensorFlow's writers write it). */
export const FILE_VERSION = 'brain.Event:2';

/** A HistogramProto: buckets on right edges `bucketLimit` (the last one DBL_MAX), exact moments. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

function event(wallTime: number, step: number): ProtoWriter {
  return new ProtoWriter().double(1, wallTime).uint(2, step);
}

function summaryEvent(wallTime: number, step: number, value: Uint8Array): Uint8Array {
  return event(wallTime, step).bytes(5, new ProtoWriter().bytes(1, value).finish()).finish();
}

/** The first event of a file: its format version. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtoWriter().double(1, wallTime).string(3, FILE_VERSION).finish();
}

/** A scalar (Summary.Value.simple_value, float32): the form EventAccumulator.Scalars reads. */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).float(2, value).finish());
}

/** A histogram (Summary.Value.histo). */
export function histogramEvent(wallTime: number, step: number, tag: string, h: Histogram): Uint8Array {
  const histo = new ProtoWriter()
    .double(1, h.min)
    .double(2, h.max)
    .double(3, h.num)
    .double(4, h.sum)
    .double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimit)
    .packedDoubles(7, h.bucket)
    .finish();
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).bytes(5, histo).finish());
}

// ── hparams plugin ──────────────────────────────────────────────────────────

/** Tags under which the hparams plugin looks for its data (tensorboard/plugins/hparams/metadata.py). */
export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  start: '_hparams_/session_start_info',
  end: '_hparams_/session_end_info',
};
/** api.proto Status. */
export const SESSION_STATUS = { success: 1, failure: 2 } as const;
/** api.proto DataType. */
const DATA_TYPE = { string: 1, bool: 2, float64: 3 } as const;

/** An hparam value: a number or a string. */
export type HParamValue = number | string;

/** google.protobuf.Value holding a number or a string. */
function protoValue(v: HParamValue): Uint8Array {
  return typeof v === 'number' ? new ProtoWriter().double(2, v).finish() : new ProtoWriter().string(3, v).finish();
}

/** The empty float tensor the hparams summaries carry as their value (metadata.NULL_TENSOR). */
const NULL_TENSOR = new ProtoWriter()
  .uint(1, 1)
  .bytes(2, new ProtoWriter().bytes(2, new Uint8Array(0)).finish())
  .finish();

/** A Summary.Value with the hparams plugin's metadata around HParamsPluginData `data` (field 2, 3 or 4). */
function hparamsEvent(wallTime: number, tag: string, field: 2 | 3 | 4, data: Uint8Array): Uint8Array {
  const content = new ProtoWriter().uint(1, 0).bytes(field, data).finish(); // version 0 (PLUGIN_DATA_VERSION)
  const pluginData = new ProtoWriter().string(1, 'hparams').bytes(2, content).finish();
  const metadata = new ProtoWriter().bytes(1, pluginData).finish();
  return summaryEvent(wallTime, 0, new ProtoWriter().string(1, tag).bytes(9, metadata).bytes(8, NULL_TENSOR).finish());
}

/** SessionStartInfo: one run's hyper-parameters. */
export function sessionStartEvent(
  wallTime: number,
  hparams: Record<string, HParamValue>,
  groupName: string,
): Uint8Array {
  const info = new ProtoWriter();
  for (const [k, v] of Object.entries(hparams))
    info.bytes(1, new ProtoWriter().string(1, k).bytes(2, protoValue(v)).finish());
  info.string(4, groupName).double(5, wallTime);
  return hparamsEvent(wallTime, HPARAMS_TAGS.start, 3, info.finish());
}

/** SessionEndInfo: how the run ended. */
export function sessionEndEvent(
  wallTime: number,
  status: (typeof SESSION_STATUS)[keyof typeof SESSION_STATUS],
): Uint8Array {
  return hparamsEvent(wallTime, HPARAMS_TAGS.end, 4, new ProtoWriter().uint(1, status).double(2, wallTime).finish());
}

/** One hyper-parameter of the experiment with the values the sweep took. */
export interface HParamDomain {
  name: string;
  description: string;
  values: HParamValue[];
}

/** One metric the HPARAMS tab lists: a scalar tag of every run. */
export interface MetricSpec {
  tag: string;
  displayName: string;
  description: string;
}

/** Experiment: the sweep's hyper-parameters and metrics, so the HPARAMS tab shows these columns. */
export function experimentEvent(
  wallTime: number,
  name: string,
  hparams: readonly HParamDomain[],
  metrics: readonly MetricSpec[],
): Uint8Array {
  const exp = new ProtoWriter().string(6, name).double(3, wallTime);
  for (const h of hparams) {
    const list = new ProtoWriter();
    for (const v of h.values) list.bytes(1, protoValue(v));
    const type = h.values.every((v) => typeof v === 'number') ? DATA_TYPE.float64 : DATA_TYPE.string;
    exp.bytes(
      4,
      new ProtoWriter().string(1, h.name).string(3, h.description).uint(4, type).bytes(5, list.finish()).finish(),
    );
  }
  for (const m of metrics) {
    const metricName = new ProtoWriter().string(2, m.tag).finish();
    exp.bytes(5, new ProtoWriter().bytes(1, metricName).string(3, m.displayName).string(4, m.description).finish());
  }
  return hparamsEvent(wallTime, HPARAMS_TAGS.experiment, 2, exp.finish());
}
