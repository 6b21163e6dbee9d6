/**
 * Terminal progress for a sweep. On a TTY (and without NO_COLOR or --quiet):
 * one live bar per running run plus an overall bar, redrawn in place at most a
 * few times a second. Otherwise: plain lines, one when a run starts and one
 * when it ends.
 */
import { summarizeRun, type RunSummary } from '../analysis/summary.js';
import type { SweepEvents, SweepProgress } from '../sweep/runSweep.js';
import { num, percent } from '../report/format.js';

/** Receives sweep events. */
export interface Reporter {
  start(total: number, skipped: number): void;
  runStarted(id: string): void;
  progress(p: SweepProgress): void;
  runFinished(s: RunSummary): void;
  done(): void;
}

/** A reporter's calls as the sweep driver's events (the caller still ends it with `done`). */
export function reporterEvents(reporter: Reporter): SweepEvents {
  return {
    onStart: (todo, skipped) => reporter.start(todo, skipped),
    onRunStarted: (spec) => reporter.runStarted(spec.id),
    onProgress: (p) => reporter.progress(p),
    onRunFinished: (record) => reporter.runFinished(summarizeRun(record)),
  };
}

/** Prints nothing (for --quiet and --json). */
export const silentReporter: Reporter = { start() {}, runStarted() {}, progress() {}, runFinished() {}, done() {} };

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A finished run's speed; a fused run's is its group's, and says so. */
function speed(samplesPerSecond: number, groupRuns: number | undefined): string {
  return `${num(samplesPerSecond)} samples/s${groupRuns && groupRuns > 1 ? ` for its group of ${groupRuns}` : ''}`;
}

function runOutcome(s: RunSummary): string {
  if (s.status === 'failed') return `failed: ${s.error}`;
  if (s.status === 'diverged')
    return `diverged at step ${s.divergedAtStep}${s.divergedBy === 'explosion' ? ' (loss exploded)' : ''}`;
  return s.testPsnr !== null
    ? `test MSE ${num(s.testLoss)}, PSNR ${num(s.testPsnr)} dB`
    : `test accuracy ${percent(s.testAccuracy)}`;
}

/** Plain progress lines on a stream (non-TTY, NO_COLOR). */
export class LineReporter implements Reporter {
  private total = 0;
  private finished = 0;
  constructor(private readonly out: NodeJS.WritableStream) {}
  start(total: number, skipped: number): void {
    this.total = total;
    this.finished = 0;
    this.out.write(
      `sweep: ${total} run${total === 1 ? '' : 's'} to train${skipped ? ` (${skipped} already finished)` : ''}\n`,
    );
  }
  runStarted(id: string): void {
    this.out.write(`  start ${id}\n`);
  }
  progress(): void {}
  runFinished(s: RunSummary): void {
    this.finished++;
    this.out.write(
      `  [${this.finished}/${this.total}] ${s.id}: ${runOutcome(s)} (${s.steps} steps, ${speed(s.samplesPerSecond, s.groupRuns)})\n`,
    );
  }
  done(): void {}
}

/** Live bars on a TTY, redrawn in place. */
export class BarReporter implements Reporter {
  private total = 0;
  private finished = 0;
  private readonly live = new Map<string, SweepProgress | null>();
  private drawnLines = 0;
  private lastDraw = 0;
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly now: () => number = () => Date.now(),
  ) {}

  start(total: number, skipped: number): void {
    this.total = total;
    this.out.write(
      `sweep: ${total} run${total === 1 ? '' : 's'} to train${skipped ? ` (${skipped} already finished)` : ''}\n`,
    );
  }
  runStarted(id: string): void {
    this.live.set(id, null);
    this.draw(true);
  }
  progress(p: SweepProgress): void {
    this.live.set(p.id, p);
    this.draw(false);
  }
  runFinished(s: RunSummary): void {
    this.live.delete(s.id);
    this.finished++;
    this.clear();
    this.out.write(`  ✓ ${s.id}: ${runOutcome(s)} (${s.steps} steps, ${speed(s.samplesPerSecond, s.groupRuns)})\n`);
    this.draw(true);
  }
  done(): void {
    this.clear();
  }

  private clear(): void {
    if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastDraw < 200) return;
    this.lastDraw = t;
    this.clear();
    const width = Math.max(40, Math.min(this.out.columns || 100, 120)); // columns is 0 under some pseudo-terminals
    const lines: string[] = [];
    for (const [id, p] of this.live) {
      if (!p) {
        lines.push(`  ${id.padEnd(22)} starting…`);
        continue;
      }
      const text = ` ${p.step}/${p.totalSteps} loss ${num(p.loss)} ${num(p.samplesPerSecond)}/s${p.groupRuns ? ' group' : ''} ETA ${eta(p.etaSeconds)}`;
      lines.push(`  ${id.padEnd(22)} ${bar(p.step / p.totalSteps, Math.max(10, width - 26 - text.length))}${text}`);
    }
    // runs still training count by their steps, so the bar moves while a fused group (whose runs end together) trains
    let training = 0;
    for (const p of this.live.values()) if (p) training += Math.min(1, p.step / p.totalSteps);
    const overall = this.total > 0 ? (this.finished + training) / this.total : 1;
    lines.push(
      `  ${'overall'.padEnd(22)} ${bar(overall, Math.max(10, width - 40))} ${this.finished}/${this.total} runs`,
    );
    this.out.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}
