/**
 * fluctlab's recorder as a tfjs-layers callback: `model.fit(x, y, { callbacks: [cb] })` or `model.fitDataset`. After
 * every batch it reads the step's Δ of every trainable weight from the weights' memory (stepDelta.ts) and feeds the
 * recorder (engine/recording/recorder.ts, the one fluctlab's own runs use), so the windows hold the same statistics on
 * the same shared histogram bins as any RunRecord.
 *
 *     const cb = fluctuationCallback({ windowSteps: 50, probe: xTest.slice(0, 100) });
 *     await model.fit(x, y, { epochs: 2, batchSize: 32, callbacks: [cb] });
 *     const record = cb.record(); // a RunRecord: report, merge and export it like any other
 */
import { Callback, type LayersModel, type Logs } from '@tensorflow/tfjs-layers';
import type { Container } from '@tensorflow/tfjs-layers/dist/engine/container.js';
import { joinsLastWindow } from '../contract/config.js';
import { UsageError } from '../contract/errors.js';
import type { RunRecord } from '../contract/record.js';
import { Recorder } from '../engine/recording/recorder.js';
import { DeadUnitProbe } from './deadUnits.js';
import {
  checkOptions,
  describeModel,
  type FluctuationOptions,
  type ModelInfo,
  modelLabel,
  recordConfig,
} from './modelInfo.js';
import { logNumber, RunLog, toRunRecord } from './runLog.js';
import { StepDelta } from './stepDelta.js';

export type { FluctuationOptions };

/** The logs tfjs hands a callback: numbers, or scalar tensors in a batch's logs (tfjs-layers does not export the type). */
type UnresolvedLogs = Parameters<Callback['onBatchEnd']>[1];

/** What the callback keeps of the model it records, from its first `onTrainBegin`. */
interface Watch {
  model: LayersModel;
  info: ModelInfo;
  reader: StepDelta;
  recorder: Recorder;
  probe: DeadUnitProbe | null;
}

/**
 * A tfjs-layers callback that records fluctuation statistics of one model's training (fluctuationCallback makes one).
 * It records one model, over one or more `fit` calls; `record()` gives the RunRecord so far.
 */
export class FluctuationCallback extends Callback {
  private watch: Watch | null = null;
  // the model of the fit tfjs set up, from setModel to onTrainEnd
  private bound: LayersModel | null = null;
  private readonly log = new RunLog();
  private training = false;
  private windowStart = 0;
  private totalSteps: number | null = null;
  private trainStart = 0;
  private written: Promise<string> | null = null;

  constructor(private readonly options: FluctuationOptions = {}) {
    super();
    checkOptions(options);
  }

  /**
   * tfjs hands every fit its callbacks' model here, before any of them begins: a second fit of another model with this
   * callback would switch the first one's model under it, so it is refused here, while the first still trains.
   */
  override setModel(model: Container): void {
    // tfjs runs one fit of a model at a time, so a fit still marked as ours that is this model's, or whose model no
    // longer trains, threw before onTrainEnd: it ended (its steps stay recorded; when it ended is not known, so its
    // time is left out of trainMs), and the callback is free for this fit
    if (this.bound && (this.bound === model || !(this.bound as unknown as { isTraining: boolean }).isTraining)) {
      this.training = false;
      this.bound = null;
    }
    const watched = this.watch?.model ?? this.bound;
    if (watched && watched !== model)
      throw new UsageError(
        `this fluctlab callback records model ${modelLabel(watched.name)}${this.bound ? ', which is training now' : ''}, not ${modelLabel(model.name)}: make one callback per model with fluctuationCallback()`,
      );
    this.bound = model as LayersModel;
    super.setModel(model);
  }

  override async onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    const model = this.model as LayersModel | undefined;
    if (!model || typeof (model as { trainableWeights?: unknown }).trainableWeights !== 'object')
      throw new UsageError(
        'the fluctlab callback was not given its model (tfjs wraps callbacks that follow a plain object): list fluctuationCallback() first in callbacks',
      );
    if (this.training)
      throw new UsageError(
        `this fluctlab callback is already recording a fit of ${modelLabel(model.name)}: make one callback per fit running at once`,
      );
    if (!model.optimizer)
      throw new UsageError(`model ${model.name} is not compiled: call model.compile({ optimizer, loss }) before fit`);
    this.training = true;
    this.trainStart = performance.now();
    if (!this.watch) {
      const info = describeModel(model);
      this.watch = {
        model,
        info,
        reader: new StepDelta(info.variables, info.plan),
        recorder: new Recorder(info.plan.layout, { tau: this.options.tau ?? 0.1 }),
        probe: this.options.probe ? new DeadUnitProbe(model, info.plan, this.options.probe) : null,
      };
    }
    // θ as training starts (weights may have been set between fits)
    this.watch.reader.snapshot();
    const p = this.params as {
      epochs?: number;
      initialEpoch?: number;
      samples?: number;
      steps?: number;
      batchSize?: number;
    };
    const perEpoch = p.steps ?? (p.samples && p.batchSize ? Math.ceil(p.samples / p.batchSize) : null);
    this.totalSteps =
      this.options.runSteps ??
      (perEpoch && p.epochs ? this.log.step + perEpoch * (p.epochs - (p.initialEpoch ?? 0)) : null);
    this.watch.info.batch ??= p.batchSize ?? null;
  }

  override async onBatchEnd(_batch: number, logs?: UnresolvedLogs): Promise<void> {
    const w = this.watch!;
    const { delta } = w.reader.step();
    const lr = w.info.learningRate();
    const finite = w.recorder.step(delta, lr);
    // a window's first step allocates the recorder's sums in tfjs's heap, which may grow it and detach θ's view
    // (Recorder.step takes Δ's view again itself): θ is read afresh for the window it closes, below
    const size = logNumber(logs, 'size') ?? w.info.batch ?? 0;
    w.info.batch ??= size;
    const lossOk = this.log.stepped(logNumber(logs, 'loss'), lr, size);
    if ((!finite || !lossOk) && this.log.divergedAtStep === null) {
      // as fluctlab's own runs do: a non-finite loss or Δ ends the run as diverged, a finding rather than an error
      this.log.divergedAtStep = this.log.step;
      w.model.stopTraining = true;
    }
    const k = this.options.windowSteps;
    const inWindow = this.log.step - this.windowStart;
    if (
      typeof k === 'number' &&
      inWindow >= k &&
      !(this.totalSteps && joinsLastWindow(this.log.step, this.totalSteps, k))
    )
      this.closeWindow();
  }

  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    this.log.endEpoch(epoch, logs as Logs);
    if ((this.options.windowSteps ?? 'epoch') === 'epoch' && this.log.step > this.windowStart) this.closeWindow();
  }

  override async onTrainEnd(): Promise<void> {
    this.training = false;
    this.bound = null;
    this.log.trainMs += performance.now() - this.trainStart;
    // a recording that spans several fits (runSteps) keeps its window open until its last step, or a divergence
    const { runSteps } = this.options;
    const ended = runSteps === undefined || this.log.step >= runSteps || this.log.divergedAtStep !== null;
    if (!ended) return;
    if (this.watch && this.log.step > this.windowStart) this.closeWindow();
    if (this.options.out) {
      const record = this.record();
      this.written = import('./resultFolder.js').then((m) => m.writeRecordFolder(this.options.out!, [record]));
      await this.written;
    }
  }

  // Closes the open window, with θ (the weights after its last step) as the reader holds it.
  private closeWindow(): void {
    const w = this.watch!;
    const dead = w.probe?.count() ?? [];
    // θ's view taken after the probe pass and anything else that may allocate in (and so grow) tfjs's heap
    this.log.addWindow(w.recorder.closeWindow(dead, w.reader.theta()));
    this.windowStart = this.log.step;
  }

  /**
   * The RunRecord of what was trained so far: the same schema as fluctlab's own runs, with the model's layers (record
   * layers named after tfjs's), the optimizer's class and learning rate, and `fit`'s epochs.
   */
  record(): RunRecord {
    const w = this.watch;
    if (!w) throw new UsageError('the fluctlab callback has recorded nothing yet: pass it to model.fit first');
    const config = recordConfig(w.info, this.options, this.log);
    return toRunRecord(
      this.log,
      { lr: config.lrs[0], seed: config.seeds[0] },
      config,
      w.info.parameterCount,
      w.info.environment,
    );
  }

  /** The result folder `options.out`, once written (after `fit` ends); null without `out`. */
  async folder(): Promise<string | null> {
    return this.written ? await this.written : null;
  }

  /** Frees what the callback keeps in tfjs's heap (its θ and Δ vectors and the recorder's sums). */
  dispose(): void {
    this.watch?.reader.dispose();
    this.watch?.recorder.dispose();
  }
}

/**
 * A callback for `model.fit` and `model.fitDataset` that records the fluctuation statistics of every trainable weight
 * (per layer and per neuron: a dense layer's output units, a convolution's output channels) in windows of
 * `windowSteps` steps or one per epoch. List it first in `callbacks`. docs/tfjs.md.
 *
 *     const cb = fluctuationCallback({ out: 'runs/mnist-cnn' });
 *     await model.fit(x, y, { epochs: 1, batchSize: 64, callbacks: [cb] }); // then: npx fluctlab report runs/mnist-cnn
 */
export function fluctuationCallback(options: FluctuationOptions = {}): FluctuationCallback {
  return new FluctuationCallback(options);
}
