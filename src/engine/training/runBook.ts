/**
 * One run's account of its training, kept apart from the step loop (run.ts) so that a run trained alone and a run
 * trained in a fused group keep it the same way: the learning rate each step, the losses and accuracy per window and
 * epoch, when it diverged and why, its windows and epochs, its progress events, and at the end its RunRecord.
 *
 *     const book = new RunBook(config, spec, totalSteps, batch, hooks);
 *     const lr = book.nextLr();                 // the schedule's rate for the next step
 *     if (!book.stepped(trainer.step(lr, s)))   // false: it diverged with this step
 */
import { runId, type Arithmetic, type RunSpec, type SweepConfig } from '../../contract/config.js';
import { BIN_SPEC } from '../recording/histogram.js';
import type { WindowRecord } from '../../contract/windowRecord.js';
import { SCHEMA_VERSION, type EpochRecord, type Environment, type RunRecord } from '../../contract/record.js';
import type { StepResult } from './trainer.js';
import { scheduledLr } from './schedule.js';
import { parseSchedule, type Schedule } from '../../contract/schedule.js';
import { exploded, SmoothedLoss } from './smoothedLoss.js';
import { modelLayers } from '../../contract/modelSpec.js';
import type { ChannelStats } from '../../contract/record.js';
import type { RunProgress, RunWindow } from './runProgress.js';

export type { RunProgress, RunWindow };

/** Optional hooks; `now` is injected so timing logic is testable. */
export interface RunHooks {
  onProgress?: (p: RunProgress) => void;
  progressMs?: number;
  /** each window as it closes, complete (loss and learning rates filled in); the record holds the same object */
  onWindow?: (w: RunWindow) => void;
  now?: () => number;
  /** checked every step; when it returns true the run stops with a CancelledError */
  cancelled?: () => boolean;
  /** record fluctuations (default true); off only to measure the recorder's cost */
  record?: boolean;
}

/** A test-set evaluation at the end of an epoch. */
export interface TestResult {
  loss: number;
  accuracy: number | null;
  psnr: number | null;
}

/** The account of one run. */
export class RunBook {
  readonly windows: WindowRecord[] = [];
  readonly epochs: EpochRecord[] = [];
  step = 0;
  divergedAtStep: number | null = null;
  divergedBy: RunRecord['divergedBy'] = null;
  /** training time so far: the steps and the window closes among them (test evaluations, and closes at an epoch's end, excluded) */
  trainMs = 0;
  reconstructions: RunRecord['reconstructions'] = null;
  private readonly schedule: Schedule;
  private readonly smoothed = new SmoothedLoss();
  private readonly progress: ProgressMeter;
  private lr: number;
  private windowLoss = 0;
  private windowLossSteps = 0;
  private windowLrSum = 0;
  private epochLoss = 0;
  private epochCorrect = 0;
  private epochSteps = 0;
  private readonly onWindow: RunHooks['onWindow'];

  constructor(
    readonly config: SweepConfig,
    readonly spec: RunSpec,
    readonly totalSteps: number,
    readonly batch: number,
    hooks: RunHooks,
    now: () => number,
  ) {
    this.schedule = parseSchedule(config.schedule);
    this.lr = spec.lr;
    this.progress = new ProgressMeter(spec, totalSteps, batch, now, hooks);
    this.onWindow = hooks.onWindow;
  }

  get diverged(): boolean {
    return this.divergedAtStep !== null;
  }

  /** The schedule's learning rate for the next step. */
  nextLr(): number {
    this.lr = scheduledLr(this.schedule, this.spec.lr, this.step, this.totalSteps);
    this.windowLrSum += this.lr;
    return this.lr;
  }

  /** Books a finished step; false when the run diverged with it (a non-finite loss or Δ, or an exploded loss). */
  stepped(r: StepResult): boolean {
    this.step++;
    this.epochCorrect += r.correct;
    if (!r.finite || !Number.isFinite(r.loss)) {
      this.divergedAtStep = this.step;
      this.divergedBy = 'non-finite';
      return false;
    }
    // this step's loss belongs to the window and epoch it is in, also when it ends the run
    this.epochLoss += r.loss;
    this.epochSteps++;
    this.windowLoss += r.loss;
    this.windowLossSteps++;
    if (
      this.config.divergeFactor !== null &&
      exploded(this.smoothed.add(r.loss), this.smoothed.first, this.config.divergeFactor)
    ) {
      this.divergedAtStep = this.step;
      this.divergedBy = 'explosion';
      return false;
    }
    return true;
  }

  /** Sends a progress event when one is due; `offsetMs` turns the clock's now() into training time so far. */
  reportProgress(epoch: number, loss: number, offsetMs: number): void {
    this.progress.stepped(this.step, epoch, loss, offsetMs);
  }

  /** Adds a closed window with the loss and learning rates of its steps. */
  addWindow(w: WindowRecord): void {
    w.trainLoss = this.windowLossSteps > 0 ? this.windowLoss / this.windowLossSteps : null; // for loss curves finer than an epoch
    w.lr = this.lr; // in force at the window's last step
    w.lrMean = this.windowLrSum / (w.endStep - w.startStep);
    this.windowLoss = 0;
    this.windowLossSteps = 0;
    this.windowLrSum = 0;
    this.windows.push(w);
    this.progress.windowClosed(w);
    this.onWindow?.({ id: runId(this.spec), index: this.windows.length - 1, window: w });
  }

  /** Ends an epoch (the run's last, when it diverged) with its test result (null when diverged). */
  endEpoch(epoch: number, test: TestResult | null, ae: boolean): void {
    const { epochLoss, epochSteps, epochCorrect } = this;
    this.epochs.push({
      epoch: epoch + 1,
      endStep: this.step,
      trainLoss: epochSteps > 0 ? epochLoss / epochSteps : null,
      trainAccuracy: ae || epochSteps === 0 ? null : epochCorrect / (epochSteps * this.batch),
      testLoss: test?.loss ?? null,
      testAccuracy: test?.accuracy ?? null,
      testPsnr: test?.psnr ?? null,
    });
    this.epochLoss = 0;
    this.epochCorrect = 0;
    this.epochSteps = 0;
  }

  /** The run's record. */
  toRecord(
    {
      parameterCount,
      inputStats,
      arithmetic,
    }: { parameterCount: number; inputStats: ChannelStats | null; arithmetic: Arithmetic },
    ae: boolean,
    environment: Environment,
  ): RunRecord {
    const { spec, config, step, batch, trainMs } = this;
    const last = this.epochs[this.epochs.length - 1];
    return {
      schemaVersion: SCHEMA_VERSION,
      kind: 'fluctlab.run',
      id: runId(spec),
      lr: spec.lr,
      seed: spec.seed,
      config,
      status: this.diverged ? 'diverged' : 'ok',
      divergedAtStep: this.divergedAtStep,
      divergedBy: this.divergedBy,
      error: null,
      task: ae ? 'reconstruction' : 'classification',
      testAccuracy: last?.testAccuracy ?? null,
      testLoss: last?.testLoss ?? null,
      testPsnr: last?.testPsnr ?? null,
      steps: step,
      parameterCount,
      modelLayers: modelLayers(config.model),
      inputStats,
      arithmetic,
      epochs: this.epochs,
      bins: BIN_SPEC,
      windows: this.windows,
      ...(ae ? { reconstructions: this.reconstructions } : {}),
      environment,
      timing: {
        trainSeconds: trainMs / 1000,
        samplesPerSecond: trainMs > 0 ? (step * batch) / (trainMs / 1000) : 0,
        finishedAt: new Date().toISOString(),
      },
    };
  }
}

/** Throttled progress events of one run: at most one every `progressMs`, and one at the last step. */
class ProgressMeter {
  private lastEvent: number;
  private lossSinceEvent = 0;
  private stepsSinceEvent = 0;
  private latestFluctuation: number | null = null;

  constructor(
    private readonly spec: RunSpec,
    private readonly totalSteps: number,
    private readonly batch: number,
    private readonly now: () => number,
    private readonly hooks: RunHooks,
  ) {
    this.lastEvent = now();
  }

  /** Notes a closed window's mean weight RMS Δ over layers (the live fluctuation chart's value). */
  windowClosed(w: WindowRecord): void {
    const ws = w.layers.map((l) => l.weights.rms);
    this.latestFluctuation = ws.reduce((a, b) => a + b, 0) / ws.length;
  }

  /** Counts a finished step; sends an event when one is due. Training time so far is now() + `offsetMs` (the clock is read once per step, and only when someone listens). */
  stepped(step: number, epoch: number, loss: number, offsetMs: number): void {
    this.lossSinceEvent += loss;
    this.stepsSinceEvent++;
    if (!this.hooks.onProgress) return;
    const t = this.now();
    const elapsedMs = t + offsetMs;
    if (t - this.lastEvent < (this.hooks.progressMs ?? 250) && step !== this.totalSteps) return;
    const { spec, totalSteps, batch } = this;
    this.hooks.onProgress({
      id: runId(spec),
      lr: spec.lr,
      seed: spec.seed,
      step,
      totalSteps,
      epoch,
      loss: this.lossSinceEvent / this.stepsSinceEvent,
      samplesPerSecond: elapsedMs > 0 ? (step * batch) / (elapsedMs / 1000) : 0,
      etaSeconds: ((totalSteps - step) * elapsedMs) / step / 1000,
      fluctuation: this.latestFluctuation,
    });
    this.lastEvent = t;
    this.lossSinceEvent = 0;
    this.stepsSinceEvent = 0;
  }
}
