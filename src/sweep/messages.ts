/**
 * The messages between a process or page and its workers, typed once for Node's worker threads (nodeWorker.ts,
 * nodePool.ts) and the browser's Web Workers (webWorker.ts, webPool.ts): one table of the kinds of task, each with
 * what it carries, the events its worker streams back while it runs, and what it resolves with; the unions below are
 * read off it, so a new kind of task is one row here, one case in task.ts and a method of the executors.
 *
 * Every worker exposes the one method TASK_METHOD, which takes any task (a Web Worker also takes the WorkerBackend to
 * start, and has DESCRIBE_METHOD); each event it emits names its task's kind.
 */
import { runId, type RunSpec, type SweepConfig } from '../contract/config.js';
import type { RunRecord } from '../contract/record.js';
import type { Dataset } from '../engine/data/dataset.js';
import type { LrFindResult } from '../engine/training/lrFind.js';
import type { LrFindOptions, RangePoint } from '../engine/training/rangeTest.js';
import type { RunProgress, RunWindow } from '../engine/training/runProgress.js';

interface Tasks {
  /**
   * one run, or a fused group of runs of one seed (fusion.ts); a run that throws resolves as a 'failed' record. Its
   * events are progress, and with `windows` also each window as it closes (a live TensorBoard log reads them)
   */
  train: {
    task: { config: SweepConfig; specs: RunSpec[]; windows?: boolean };
    event: RunProgress | RunWindow;
    result: RunRecord[];
  };
  /** an LR range test (engine/training/lrFind.ts): one run, each point of the ramp streamed as it trains */
  'lr-find': {
    task: { config: SweepConfig; options: LrFindOptions; seed: number };
    event: RangePoint;
    result: LrFindResult;
  };
  /** one `fit` of a user's tfjs-layers model (fluctlab/tfjs sweepModel), its data carried with it; no events */
  'fit-model': { task: FitModelTask; event: never; result: RunRecord };
}

/** A tensor as it crosses to a worker: its float32 values and shape. */
export interface TensorData {
  values: Float32Array;
  shape: number[];
}

/** What a worker needs to fit a user's model (src/tfjs/fitTask.ts): the module, the run, the sweep's config, the data. */
export interface FitModelTask {
  /** URL of the user's module that exports the builder */
  module: string;
  lr: number;
  seed: number;
  /** the sweep's config, which each record carries */
  config: SweepConfig;
  x: TensorData;
  y: TensorData;
  validation: { x: TensorData; y: TensorData } | null;
  /** the first this many training examples are the probe batch for dead units (0: none) */
  probe: number;
}

export type TaskKind = keyof Tasks;

/** A task as an executor is asked for it: without its data set, which the executor loads and hands over. */
export type TaskRequest<K extends TaskKind = TaskKind> = { [k in K]: { kind: k } & Tasks[k]['task'] }[K];

/**
 * A task as a worker receives it: with the data set of its config (its arrays views of SharedArrayBuffers where
 * available, else a copy), except a fit of a user's model, which carries its own tensors.
 */
export type WorkerTask<K extends TaskKind = TaskKind> = {
  [k in K]: TaskRequest<k> & (k extends 'fit-model' ? unknown : { data: Dataset });
}[K];

/** What a worker sends back while a task of kind K runs. */
export type WorkerEvent<K extends TaskKind = TaskKind> = { [k in K]: { kind: k; event: Tasks[k]['event'] } }[K];

/** The payload of a task's events. */
export type TaskEvent<K extends TaskKind> = Tasks[K]['event'];

/** What a task of kind K resolves with. */
export type TaskResult<K extends TaskKind> = Tasks[K]['result'];

/** How the page wants a Web Worker's backend: where the .wasm files are and how many threads to use. */
export interface WorkerBackend {
  /** each tfjs .wasm file's URL, by name */
  wasm: Record<string, string>;
  threads: number;
}

/** True for a train task's closed window, false for its progress. */
export function isRunWindow(e: RunProgress | RunWindow): e is RunWindow {
  return 'window' in e;
}

/** What a message calls a task: 'run lr0.1-seed1' (a fused group by its first run), 'LR range test'. */
export function taskName<K extends TaskKind>(task: TaskRequest<K>): string {
  const t = task as TaskRequest;
  if (t.kind === 'fit-model') return `fit ${runId(t)}`;
  return t.kind === 'train' ? `run ${runId(t.specs[0])}` : 'LR range test';
}

/** The worker method that runs a task. */
export const TASK_METHOD = 'task';

/** The Web Worker method that starts its backend (a WorkerBackend) and resolves with its Environment. */
export const DESCRIBE_METHOD = 'describe';
