/**
 * `fluctlab export --npy`: per-run, per-layer trajectories of the statistics
 * (one row per recording window) as NumPy .npy files, plus index.json that
 * names every file's columns. Layout under the export folder:
 *
 *   index.json                               what each file holds, column names, runs and their status
 *   bin_edges.npy                            (bins, 2) float64: lower and upper edge of each histogram bin
 *   <run>/epochs.npy                         (epochs, 6): epoch, train loss, train acc, test loss, test acc, test PSNR
 *   <run>/windows.npy                        (windows, 3): start step, end step, mean train loss
 *   <run>/<layer>_weights_stats.npy          (windows, 12): STAT_COLUMNS of the layer's weights
 *   <run>/<layer>_biases_stats.npy           (windows, 12): the same for its biases
 *   <run>/<layer>_weights_hist.npy           (windows, bins) int64: Δ counts per shared bin
 *   <run>/<layer>_biases_hist.npy            (windows, bins) int64
 *   <run>/<layer>_neuron_fluctuation.npy     (windows, units): f_j of the weights
 *   <run>/<layer>_neuron_spread.npy          (windows, units): s_j of the weights
 *   <run>/<layer>_neuron_update_ratio.npy    (windows, units): each neuron's update-to-weight ratio (fan-in column)
 *
 * The η-free measures (docs/metrics.md) are the stats' last three columns, so the older columns keep their places.
 * Missing values (null, or a measure older records lack) are NaN. Written to a staging folder and renamed into
 * place when complete.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binRanges } from '../engine/recording/histogram.js';
import { encodeNpy } from '../engine/data/npy.js';
import type { TensorFluctuation } from '../contract/windowRecord.js';
import type { RunRecord } from '../contract/record.js';
import { SCHEMA_VERSION } from '../contract/record.js';
import { checkExportTarget, writeExportFolder } from './folderWriter.js';

/** Columns of <layer>_{weights,biases}_stats.npy. */
export const STAT_COLUMNS = [
  'mean_abs',
  'rms',
  'max_abs',
  'spread_of_spread',
  'spread_cv',
  'participating',
  'participation_ratio',
  'effective_neurons',
  'dead_units',
  'effective_rms',
  'update_ratio',
  'weight_norm',
] as const;
export const EPOCH_COLUMNS = [
  'epoch',
  'train_loss',
  'train_accuracy',
  'test_loss',
  'test_accuracy',
  'test_psnr',
] as const;
export const WINDOW_COLUMNS = ['start_step', 'end_step', 'train_loss'] as const;

const INDEX_KIND = 'fluctlab.npy-export';

/** index.json's words on the measures free of η's scale (docs/metrics.md), by stats column or file suffix. */
const ETA_FREE_MEASURES = {
  effective_rms:
    'stats column: effective step RMS Δ/η = √(Σ_t ‖Δ_t‖²/η_t² / (|E|·n)) over the window steps with η_t > 0',
  update_ratio: 'stats column: update-to-weight ratio √((1/T) Σ_t ‖Δ_t‖²) / ‖W‖ over the window T steps',
  weight_norm: 'stats column: ‖W‖ = √(Σ W²) after the window last step',
  neuron_update_ratio:
    '<layer>_neuron_update_ratio.npy, weights: per neuron j √((1/T) Σ_t Σ_i Δ_t[i,j]²) / ‖W[·,j]‖, NaN where ‖W[·,j]‖ = 0',
};

/** One file of the export: its path relative to the export folder and its bytes. */
export interface ExportFile {
  path: string;
  bytes: Uint8Array;
  shape: number[];
  dtype: '<f8' | '<i8';
}

const nan = (v: number | null | undefined) => (typeof v === 'number' ? v : NaN);

function statsRow(t: TensorFluctuation, deadUnits: number | null): number[] {
  return [
    t.meanAbs,
    t.rms,
    t.maxAbs,
    nan(t.spreadOfSpread),
    nan(t.spreadCv),
    t.participating,
    t.participationRatio,
    t.effectiveNeurons,
    nan(deadUnits),
    nan(t.effectiveRms),
    nan(t.updateRatio),
    nan(t.weightNorm),
  ];
}

function file(path: string, rows: number[][], width: number, dtype: '<f8' | '<i8' = '<f8'): ExportFile {
  const shape = [rows.length, width];
  return { path, bytes: encodeNpy(rows.flat(), shape, dtype), shape, dtype };
}

/** Every .npy file of an export, in a stable order. */
export function npyFiles(records: readonly RunRecord[]): ExportFile[] {
  const ranges = binRanges();
  const files: ExportFile[] = [
    file(
      'bin_edges.npy',
      ranges.map((r) => [r.lo, r.hi]),
      2,
    ),
  ];
  for (const r of records) {
    files.push(
      file(
        `${r.id}/epochs.npy`,
        r.epochs.map((e) => [
          e.epoch,
          nan(e.trainLoss),
          nan(e.trainAccuracy),
          nan(e.testLoss),
          nan(e.testAccuracy),
          nan(e.testPsnr),
        ]),
        EPOCH_COLUMNS.length,
      ),
    );
    files.push(
      file(
        `${r.id}/windows.npy`,
        r.windows.map((w) => [w.startStep, w.endStep, nan(w.trainLoss)]),
        WINDOW_COLUMNS.length,
      ),
    );
    const layers = r.windows[0]?.layers ?? [];
    layers.forEach((layer, li) => {
      const at = r.windows.map((w) => w.layers[li]);
      const p = `${r.id}/${layer.layer}`;
      files.push(
        file(
          `${p}_weights_stats.npy`,
          at.map((l) => statsRow(l.weights, l.deadUnits)),
          STAT_COLUMNS.length,
        ),
      );
      files.push(
        file(
          `${p}_biases_stats.npy`,
          at.map((l) => statsRow(l.biases, l.deadUnits)),
          STAT_COLUMNS.length,
        ),
      );
      files.push(
        file(
          `${p}_weights_hist.npy`,
          at.map((l) => l.weights.histogram),
          r.bins.binCount,
          '<i8',
        ),
      );
      files.push(
        file(
          `${p}_biases_hist.npy`,
          at.map((l) => l.biases.histogram),
          r.bins.binCount,
          '<i8',
        ),
      );
      files.push(
        file(
          `${p}_neuron_fluctuation.npy`,
          at.map((l) => l.weights.neuronFluctuation),
          layer.units,
        ),
      );
      files.push(
        file(
          `${p}_neuron_spread.npy`,
          at.map((l) => l.weights.neuronSpread.map(nan)),
          layer.units,
        ),
      );
      files.push(
        file(
          `${p}_neuron_update_ratio.npy`,
          at.map((l) => l.weights.neuronUpdateRatio?.map(nan) ?? Array<number>(layer.units).fill(NaN)),
          layer.units,
        ),
      );
    });
  }
  return files;
}

/** index.json: what the export holds. */
export function exportIndex(records: readonly RunRecord[], files: readonly ExportFile[]) {
  return {
    kind: INDEX_KIND,
    schemaVersion: SCHEMA_VERSION,
    format: 'NumPy .npy version 1.0, little-endian, C order; missing values are NaN',
    columns: { stats: STAT_COLUMNS, epochs: EPOCH_COLUMNS, windows: WINDOW_COLUMNS, bin_edges: ['lo', 'hi'] },
    measures: ETA_FREE_MEASURES,
    bins: records.find((r) => r.bins)?.bins ?? null,
    runs: records.map((r) => ({
      id: r.id,
      lr: r.lr,
      seed: r.seed,
      status: r.status,
      divergedAtStep: r.divergedAtStep,
      layers: (r.windows[0]?.layers ?? []).map((l) => ({ name: l.layer, units: l.units })),
    })),
    files: files.map((f) => ({ path: f.path, shape: f.shape, dtype: f.dtype })),
  };
}

/** True when `dir` holds a previous fluctlab export (which may be replaced). */
export function isPreviousNpyExport(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).kind === INDEX_KIND;
  } catch {
    return false;
  }
}

/**
 * Writes the NumPy export (`fluctlab export --npy`: the layout above, docs/result-format.md) to `out`: refused when
 * `out` holds anything but a previous export; all or nothing.
 *
 *     writeNpyExport('runs/mine/npy', records); // { files, bytes }; in Python: np.load('runs/mine/npy/bin_edges.npy')
 */
export function writeNpyExport(out: string, records: readonly RunRecord[]): { files: number; bytes: number } {
  checkExportTarget(out, isPreviousNpyExport, 'fluctlab export');
  const files = npyFiles(records);
  const index = `${JSON.stringify(exportIndex(records, files), null, 1)}\n`;
  writeExportFolder(out, [...files, { path: 'index.json', bytes: index }], isPreviousNpyExport, 'fluctlab export');
  return { files: files.length + 1, bytes: files.reduce((s, f) => s + f.bytes.length, 0) };
}
