/**
 * What the recorder emits: per window, per layer, the fluctuation statistics of the layer's weights and biases
 * (TensorFluctuation), and where each layer lies in the flat parameter vector (LayerLayout). Types only, shared by the
 * recorder, the trainer, the aggregate, the exports and the study.
 */

/** One dense layer's place in the flat parameter vector: W is fanIn × units (row-major), then b (units). */
export interface LayerLayout {
  name: string;
  fanIn: number;
  units: number;
  wOffset: number;
  bOffset: number;
}

/** Statistics of one parameter tensor (a layer's weights or its biases) over one window. */
export interface TensorFluctuation {
  /** mean over steps and elements of |Δ| */
  meanAbs: number;
  /** sqrt(mean over steps and elements of Δ²) */
  rms: number;
  /** max over steps and elements of |Δ| */
  maxAbs: number;
  /** smallest and largest Δ (signed), Σ Δ and Σ Δ² over steps and elements: a histogram's exact moments (absent in older records) */
  min?: number;
  max?: number;
  sum?: number;
  sumSquares?: number;
  /** f_j = sqrt(mean over steps and neuron j's fan-in of Δ²); for biases the fan-in is the bias itself */
  neuronFluctuation: number[];
  /** s_j = std over the window's steps of neuron j's mean fan-in parameter after each step; null in a window of fewer than 2 steps, where no std is defined */
  neuronSpread: (number | null)[];
  /** S = std_j(s_j); null in a window of fewer than 2 steps */
  spreadOfSpread: number | null;
  /** S / mean_j(s_j); null in a window of fewer than 2 steps */
  spreadCv: number | null;
  /** #{j : f_j ≥ τ·mean f} */
  participating: number;
  /** (Σf)² / (N Σf²) */
  participationRatio: number;
  /** N · participationRatio */
  effectiveNeurons: number;
  /** counts of Δ on the shared bins (histogram.ts) */
  histogram: number[];
  /**
   * Measures free of η's scale (docs/metrics.md; absent in older records). Effective step RMS: Δ in units of the
   * learning rate in force at its step, √(Σ_{t∈E} ‖Δ_t‖²/η_t² / (|E|·n)) over the window's steps E with η_t > 0 (n
   * values); null when no step had one.
   */
  effectiveRms?: number | null;
  /** ‖W‖ = √(Σ W²) of the tensor after the window's last step */
  weightNorm?: number;
  /** update-to-weight ratio √((1/T) Σ_t ‖Δ_t‖²) / ‖W‖ (the RMS over the window's T steps of the step's norm); null when ‖W‖ = 0 */
  updateRatio?: number | null;
  /** per neuron j (weights only): √((1/T) Σ_t Σ_i Δ_t[i,j]²) / ‖W[·,j]‖, null where ‖W[·,j]‖ = 0 */
  neuronUpdateRatio?: (number | null)[];
}

/** One layer over one window. `deadUnits` is filled by the trainer (null for the output layer). */
export interface LayerWindow {
  layer: string;
  units: number;
  weights: TensorFluctuation;
  biases: TensorFluctuation;
  deadUnits: number | null;
  /** per-unit mean activation on the probe batch at the window's end, set by the trainer (probe.ts; null for the output layer; absent in older records) */
  meanActivation?: number[] | null;
  /** L2 norms of this layer's gradient of the mean probe-batch loss at the window's end, set by the trainer (probe.ts; absent in older records) */
  gradientNorm?: { weights: number; biases: number } | null;
}

/** All layers over one window of steps [startStep, endStep). */
export interface WindowRecord {
  index: number;
  startStep: number;
  endStep: number;
  /** mean training loss over the window's steps, set by the trainer (absent in records made before it was added) */
  trainLoss?: number | null;
  /** the learning rate in force at the window's last step, and its mean over the window's steps, set by the trainer (absent in older records) */
  lr?: number;
  lrMean?: number;
  layers: LayerWindow[];
}
