"""Reads a fluctlab TensorBoard export with TensorBoard's own reader and prints what it found as JSON.

    python read_tensorboard.py <export folder>
    python read_tensorboard.py --run <run folder>     one run's events only

Used by test/node/tensorboard.test.ts, which compares the output with the sweep's records. Every record's framing
is also checked with TensorBoard's masked CRC-32C, because EventAccumulator alone does not verify checksums.
"""
import glob
import json
import os
import struct
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c
from tensorboard.plugins.hparams import metadata as hp_metadata
from google.protobuf import json_format


def check_framing(path):
    """Counts the records of an event file, asserting both CRCs of each."""
    data = open(path, "rb").read()
    at, count = 0, 0
    while at < len(data):
        header = data[at : at + 8]
        (length,) = struct.unpack("<Q", header)
        (len_crc,) = struct.unpack("<I", data[at + 8 : at + 12])
        assert len_crc == masked_crc32c(header), f"{path}: bad length CRC in record {count}"
        body = data[at + 12 : at + 12 + length]
        (body_crc,) = struct.unpack("<I", data[at + 12 + length : at + 16 + length])
        assert body_crc == masked_crc32c(body), f"{path}: bad data CRC in record {count}"
        at += 16 + length
        count += 1
    return count


def read(folder):
    ea = EventAccumulator(folder, size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    ea.Reload()
    tags = ea.Tags()
    out = {
        "fileVersion": ea.file_version,
        "scalars": {t: [[e.step, e.value] for e in ea.Scalars(t)] for t in tags["scalars"]},
        "histograms": {
            t: [
                {
                    "step": e.step,
                    "min": e.histogram_value.min,
                    "max": e.histogram_value.max,
                    "num": e.histogram_value.num,
                    "sum": e.histogram_value.sum,
                    "sumSquares": e.histogram_value.sum_squares,
                    "bucketLimit": list(e.histogram_value.bucket_limit),
                    "bucket": list(e.histogram_value.bucket),
                }
                for e in ea.Histograms(t)
            ]
            for t in tags["histograms"]
        },
        "hparams": {},
    }
    parsers = {
        hp_metadata.EXPERIMENT_TAG: hp_metadata.parse_experiment_plugin_data,
        hp_metadata.SESSION_START_INFO_TAG: hp_metadata.parse_session_start_info_plugin_data,
        hp_metadata.SESSION_END_INFO_TAG: hp_metadata.parse_session_end_info_plugin_data,
    }
    content = ea.PluginTagToContent(hp_metadata.PLUGIN_NAME)
    for tag, raw in content.items():
        out["hparams"][tag] = json_format.MessageToDict(parsers[tag](raw))
    out["records"] = sum(check_framing(f) for f in glob.glob(os.path.join(folder, "events.out.tfevents.*")))
    return out


def hparams_tab(root):
    """What the HPARAMS tab shows: the hparams plugin's own handlers (those behind its HTTP routes) over the log folder."""
    from tensorboard import context as tb_context
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.hparams import api_pb2, backend_context, get_experiment, list_session_groups

    mux = plugin_event_multiplexer.EventMultiplexer()
    mux.AddRunsFromDirectory(root)
    mux.Reload()
    tb = base_plugin.TBContext(logdir=root, multiplexer=mux, data_provider=data_provider.MultiplexerDataProvider(mux, root))
    ctx = backend_context.Context(tb)
    request = tb_context.RequestContext()
    experiment = get_experiment.Handler(request, ctx, "", api_pb2.GetExperimentRequest()).run()
    statuses = [api_pb2.STATUS_UNKNOWN, api_pb2.STATUS_SUCCESS, api_pb2.STATUS_FAILURE, api_pb2.STATUS_RUNNING]
    groups = list_session_groups.Handler(
        request, ctx, "", api_pb2.ListSessionGroupsRequest(start_index=0, slice_size=1000, allowed_statuses=statuses, aggregation_type=api_pb2.AGGREGATION_AVG)
    ).run()
    return {
        "hparams": [h.name for h in experiment.hparam_infos],
        "metrics": [m.name.tag for m in experiment.metric_infos],
        "groups": [
            {
                "name": g.name,
                "hparams": {k: json_format.MessageToDict(v) for k, v in g.hparams.items()},
                "metrics": {m.name.tag: m.value for m in g.metric_values},
                "status": [api_pb2.Status.Name(x.status) for x in g.sessions],
            }
            for g in groups.session_groups
        ],
    }


def main():
    if sys.argv[1] == "--run":  # one run's folder alone, e.g. of a sweep still training
        print(json.dumps(read(sys.argv[2])))
        return
    root = sys.argv[1]
    runs = {os.path.basename(d.rstrip("/")): read(d) for d in sorted(glob.glob(os.path.join(root, "*/")))}
    print(json.dumps({"root": read(root), "runs": runs, "hparamsTab": hparams_tab(root)}))


if __name__ == "__main__":
    main()
