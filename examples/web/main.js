// A page of your own that imports fluctlab/web: a sweep run from code, and the <fluct-sweep> element. The bundler
// emits fluctlab's worker script and tfjs .wasm files itself (see vite.config.js); nothing is copied.
import { sweep, defineFluctSweep } from 'fluctlab/web';

defineFluctSweep();

const status = document.getElementById('status');
const table = document.getElementById('results');

async function run() {
  status.textContent = 'training…';
  const config = {
    data: 'shapes:train=256,test=64',
    model: 'ae:64,16',
    optimizer: 'adam',
    lrs: [0.01, 0.001, 0.0001],
    epochs: 2,
    windowSteps: 4,
  };
  const { result } = await sweep(config, {
    onRunFinished: (r) => (status.textContent = `${r.id}: ${r.status}`),
  });
  table.replaceChildren(
    row('th', 'learning rate', 'test PSNR (dB)', 'RMS Δ, first layer'),
    ...result.aggregate.lrs.map((a) =>
      row(
        'td',
        String(a.lr),
        a.outcome?.mean.toFixed(2) ?? '–',
        a.layers[0]?.weights.rms?.mean.toExponential(2) ?? '–',
      ),
    ),
  );
  status.textContent = 'done';
  window.fluctlabResult = result; // for the package test
}

function row(cell, ...texts) {
  const tr = document.createElement('tr');
  for (const t of texts) tr.append(Object.assign(document.createElement(cell), { textContent: t }));
  return tr;
}

document
  .getElementById('run')
  .addEventListener('click', () => run().catch((e) => (status.textContent = `error: ${e.message}`)));
