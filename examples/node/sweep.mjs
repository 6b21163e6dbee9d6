// A learning-rate sweep from a Node script: three rates on 6,000 MNIST images, two worker threads, the result folder
// written as `fluctlab sweep` writes it, then its report. Run: node sweep.mjs [result folder]
import { sweepRuns } from 'fluctlab';
import { sweep, writeReport } from 'fluctlab/node';

const out = process.argv[2] ?? `runs/example-${Date.now()}`;
const config = { lrs: [0.1, 0.01, 0.001], trainLimit: 6000, windowSteps: 10 };
const runs = sweepRuns({ ...config, seeds: [1] }).length;
let finished = 0;

const { result, records } = await sweep(config, {
  out,
  workers: 2,
  onRunFinished: (r) =>
    console.log(
      `[${++finished}/${runs}] ${r.id}: ${r.status}, test accuracy ${(100 * (r.testAccuracy ?? 0)).toFixed(1)}%`,
    ),
});
await writeReport(out, result, records);

for (const a of result.aggregate.lrs) {
  const rms = a.layers.map((l) => l.weights.rms?.mean.toExponential(2) ?? '–').join(' ');
  console.log(`η ${a.lr}: accuracy ${a.outcome?.mean.toFixed(4) ?? '–'}, RMS Δ of the weights per layer ${rms}`);
}
console.log(
  `recommended band: ${result.aggregate.band ? `${result.aggregate.band.min}–${result.aggregate.band.max}` : 'none'}`,
);
console.log(`report: ${out}/report.html`);
