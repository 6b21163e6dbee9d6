;; The fluctuation recorder's per-step pass, hand-written in WebAssembly with SIMD.
;;
;; Why: the pass visits every parameter change Δ of every step (109,386 for the
;; default MLP). In JavaScript it costs ~0.7 ms a step (V8 neither vectorises it
;; nor can rule out aliasing between Δ and the accumulators); tfjs ops are
;; slower still. This module runs in the tfjs WASM heap itself (it imports the
;; backend's memory), so Δ is read where the optimizer wrote it and never copied.
;;
;; Compiled by scripts/build-wasm.ts into src/engine/recording/wasm/recorderWasm.ts; the
;; pure-JS fallback in src/engine/recording/recorder.ts computes bit-identical results with
;; the same summation order, and the tests hold the two to that.
;;
;; One call adds one step of one tensor: `rows` × `cols` float32 values, row-major
;; at `src` (a layer's fanIn × units weights, or its 1 × units biases). Column j is
;; neuron j. The tensor's window state at `state` (8-byte aligned) is:
;;   +0     f64  Σ|Δ| over the window
;;   +8     i32  max over the window of (bits of Δ) & 0x7fffffff, i.e. the bits of max|Δ|;
;;              ≥ 0x7f800000 once any Δ was ±Infinity or NaN
;;   +12    i32  sink of the cache-line touches (see the tiles below); never read
;;   +16    f64  Σ Δ over the window (signed; summed in the order of Σ|Δ| below)
;;   +24    i32  min over the window of key(Δ), +28 i32 max of key(Δ), where key(bits) =
;;              bits ^ ((bits >> 31) & 0x7fffffff) orders float32s as integers (−0 < +0, NaNs
;;              outside ±Infinity), so min and max are exact whatever the order of the lanes;
;;              the caller sets them to 0x7fffffff and 0x80000000 when a window starts.
;;              (f32x4.min/max doubled the pass's time in V8: they are ~7 instructions each.)
;;   +64    u32  histogram counts, HIST_COPIES = 4 copies of 512 bins, 2048 bytes apart;
;;              lane k of a 4-column block counts into copy k, so that runs of equal
;;              bins do not serialise on one counter; the caller adds the copies up and
;;              flushes them into float64 before any can pass 2^32
;;   +8256  f64[cols] Σ_t Σ_i Δ² per column       (neuronSq)
;;          f64[cols] c_j: Σ_t mean_i Δ per column (position, relative to the window start)
;;          f64[cols] Σ_t c_j                       (positionSum)
;;          f64[cols] Σ_t c_j²                      (positionSumSq)
;;          f64[3·cols] scratch: this step's per-column Σ Δ², Σ Δ, Σ |Δ| so far; left as they are
;;              after the call, so the recorder reads the step's Σ Δ² there (its η-free sum)
;; `lut` is a table of 65536 u16: for the top 16 bits of a float32 (sign, exponent,
;; 7 mantissa bits) the byte offset 4·bin of its histogram bin (histogram.ts BIN_LUT).
;;
;; Access order: tiles of 32 rows; each tile's cache lines are first touched in address
;; order, then swept column block by column block. Without the touches, Δ that has left
;; L2 (as it has in training: the optimizer's other tensors pass through the cache after
;; it) came in one strided line at a time, and the pass took 2.4× as long (≈ 240 µs
;; against 100 µs for the default MLP).
;;
;; Summation order (fixed, mirrored exactly by the JS fallback):
;;   per column j: sq_j, s_j, a_j summed over rows i = 0, 1, … in float64 (across tiles too);
;;   columns in blocks of four (j..j+3) as two f64x2 halves; t = (t + [a_j, a_j+1]) + [a_j+2, a_j+3]
;;   over the blocks, then Σ|Δ| of the step = t0 + t1, then + a_j of each tail column in order;
;;   Σ Δ of the step likewise from the per-column s_j.
;; Returns 1 while every Δ of the window so far was finite, else 0.
(module
  (import "env" "memory" (memory 1))

  (func (export "accumulate")
    (param $src i32) (param $rows i32) (param $cols i32) (param $state i32) (param $lut i32)
    (result i32)
    (local $stride i32) (local $j i32) (local $p i32) (local $end i32) (local $a i32) (local $c i32)
    (local $nsq i32) (local $pos i32) (local $psum i32) (local $psq i32)
    (local $scr i32) (local $touch i32) (local $q i32) (local $qend i32) (local $r0 i32) (local $tileRows i32) (local $tileBase i32)
    (local $bits i32) (local $maxS i32)
    (local $d f64) (local $sq f64) (local $s f64) (local $ab f64) (local $x f64) (local $stepAbs f64)
    (local $rowsF f64) (local $stepSum f64) (local $kmin i32) (local $kmax i32)
    (local $vmin v128) (local $vmax v128) (local $stot v128) (local $key v128)
    (local $v v128) (local $lo v128) (local $hi v128) (local $keys v128) (local $t v128)
    (local $nsqLo v128) (local $nsqHi v128) (local $ssLo v128) (local $ssHi v128)
    (local $absLo v128) (local $absHi v128) (local $max v128) (local $tot v128)
    (local $mask v128) (local $absMask v128) (local $lutv v128) (local $rowsv v128)

    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $nsq (i32.add (local.get $state) (i32.const 8256)))
    (local.set $pos (i32.add (local.get $nsq) (i32.shl (local.get $cols) (i32.const 3))))
    (local.set $psum (i32.add (local.get $pos) (i32.shl (local.get $cols) (i32.const 3))))
    (local.set $psq (i32.add (local.get $psum) (i32.shl (local.get $cols) (i32.const 3))))
    (local.set $scr (i32.add (local.get $psq) (i32.shl (local.get $cols) (i32.const 3))))
    (local.set $mask (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
    ;; |x| of f64x2 as a mask held in a register (f64x2.abs loads its mask from memory in V8)
    (local.set $absMask (v128.const i64x2 0x7fffffffffffffff 0x7fffffffffffffff))
    (local.set $lutv (i32x4.splat (local.get $lut)))
    (local.set $rowsF (f64.convert_i32_u (local.get $rows)))
    (local.set $rowsv (f64x2.splat (local.get $rowsF)))
    (local.set $kmin (i32.const 0x7fffffff))
    (local.set $kmax (i32.const 0x80000000))
    (local.set $vmin (i32x4.splat (i32.const 0x7fffffff)))
    (local.set $vmax (i32x4.splat (i32.const 0x80000000)))

    ;; This step's per-column Σ Δ², Σ Δ, Σ |Δ| start at zero in the scratch arrays.
    (local.set $a (local.get $scr))
    (local.set $end (i32.add (local.get $scr) (i32.mul (local.get $cols) (i32.const 24))))
    (loop $zero
      (i64.store (local.get $a) (i64.const 0))
      (br_if $zero (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 8))) (local.get $end))))

    ;; Tiles of TILE_ROWS = 32 rows (16 KB for 128 columns, so every cache line of a tile is read from
    ;; memory once and the tile walk is sequential), each swept by column blocks of four with the
    ;; accumulators in registers, carried from tile to tile through the scratch arrays. Each column
    ;; still sums its rows in order, so tiling does not change a bit.
    (loop $tiles
      (local.set $tileRows (select (i32.const 32) (i32.sub (local.get $rows) (local.get $r0))
        (i32.gt_u (i32.sub (local.get $rows) (local.get $r0)) (i32.const 32))))
      (local.set $tileBase (i32.add (local.get $src) (i32.mul (local.get $r0) (local.get $stride))))
      ;; Touch every cache line of the tile in address order first: the misses overlap and the
      ;; hardware prefetcher sees a stream (the column sweeps below would fetch them one by one).
      (local.set $q (local.get $tileBase))
      (local.set $qend (i32.add (local.get $tileBase) (i32.mul (local.get $tileRows) (local.get $stride))))
      (loop $touchLoop
        (local.set $touch (i32.xor (local.get $touch) (i32.load (local.get $q))))
        (br_if $touchLoop (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 64))) (local.get $qend))))
      (local.set $j (i32.const 0))
      (block $blocksDone
        (loop $blocks
          (br_if $blocksDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
          (local.set $p (i32.add (local.get $tileBase) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $end (i32.add (local.get $p) (i32.mul (local.get $tileRows) (local.get $stride))))
        (local.set $a (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $nsqLo (v128.load (local.get $a)))
        (local.set $nsqHi (v128.load offset=16 (local.get $a)))
        (local.set $c (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $ssLo (v128.load (local.get $c)))
        (local.set $ssHi (v128.load offset=16 (local.get $c)))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $absLo (v128.load (local.get $c)))
        (local.set $absHi (v128.load offset=16 (local.get $c)))
        (loop $rowLoop
          (local.set $v (v128.load align=4 (local.get $p)))
          ;; |Δ| as bits: for non-negative floats the integer order is the float order
          (local.set $max (i32x4.max_s (local.get $max) (v128.and (local.get $v) (local.get $mask))))
          (local.set $key (v128.xor (local.get $v) (v128.and (i32x4.shr_s (local.get $v) (i32.const 31)) (local.get $mask))))
          (local.set $vmin (i32x4.min_s (local.get $vmin) (local.get $key)))
          (local.set $vmax (i32x4.max_s (local.get $vmax) (local.get $key)))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v))))
          (local.set $nsqLo (f64x2.add (local.get $nsqLo) (f64x2.mul (local.get $lo) (local.get $lo))))
          (local.set $nsqHi (f64x2.add (local.get $nsqHi) (f64x2.mul (local.get $hi) (local.get $hi))))
          (local.set $ssLo (f64x2.add (local.get $ssLo) (local.get $lo)))
          (local.set $ssHi (f64x2.add (local.get $ssHi) (local.get $hi)))
          (local.set $absLo (f64x2.add (local.get $absLo) (v128.and (local.get $lo) (local.get $absMask))))
          (local.set $absHi (f64x2.add (local.get $absHi) (v128.and (local.get $hi) (local.get $absMask))))
          ;; histogram: address of each lane's LUT entry = lut + 2·(bits >>> 16)
          (local.set $keys (i32x4.add (local.get $lutv)
            (i32x4.shl (i32x4.shr_u (local.get $v) (i32.const 16)) (i32.const 1))))
          (local.set $c (i32.add (local.get $state) (i32.load16_u (i32x4.extract_lane 0 (local.get $keys)))))
          (i32.store offset=64 (local.get $c) (i32.add (i32.load offset=64 (local.get $c)) (i32.const 1)))
          (local.set $c (i32.add (local.get $state) (i32.load16_u (i32x4.extract_lane 1 (local.get $keys)))))
          (i32.store offset=2112 (local.get $c) (i32.add (i32.load offset=2112 (local.get $c)) (i32.const 1)))
          (local.set $c (i32.add (local.get $state) (i32.load16_u (i32x4.extract_lane 2 (local.get $keys)))))
          (i32.store offset=4160 (local.get $c) (i32.add (i32.load offset=4160 (local.get $c)) (i32.const 1)))
          (local.set $c (i32.add (local.get $state) (i32.load16_u (i32x4.extract_lane 3 (local.get $keys)))))
          (i32.store offset=6208 (local.get $c) (i32.add (i32.load offset=6208 (local.get $c)) (i32.const 1)))
          (br_if $rowLoop (i32.lt_u
            (local.tee $p (i32.add (local.get $p) (local.get $stride))) (local.get $end))))
        (local.set $a (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store (local.get $a) (local.get $nsqLo))
        (v128.store offset=16 (local.get $a) (local.get $nsqHi))
        (local.set $c (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
        (v128.store (local.get $c) (local.get $ssLo))
        (v128.store offset=16 (local.get $c) (local.get $ssHi))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cols) (i32.const 3))))
        (v128.store (local.get $c) (local.get $absLo))
        (v128.store offset=16 (local.get $c) (local.get $absHi))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $blocks)))
      ;; Tail columns (cols mod 4), one at a time; histogram copy 0.
      (block $tailDone
        (loop $tail
          (br_if $tailDone (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $p (i32.add (local.get $tileBase) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $end (i32.add (local.get $p) (i32.mul (local.get $tileRows) (local.get $stride))))
        (local.set $a (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $sq (f64.load (local.get $a)))
        (local.set $c (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $s (f64.load (local.get $c)))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $ab (f64.load (local.get $c)))
        (loop $tailRows
          (local.set $bits (i32.and (i32.load (local.get $p)) (i32.const 0x7fffffff)))
          (local.set $maxS (select (local.get $bits) (local.get $maxS) (i32.gt_s (local.get $bits) (local.get $maxS))))
          (local.set $bits (i32.load (local.get $p)))
          (local.set $bits (i32.xor (local.get $bits) (i32.and (i32.shr_s (local.get $bits) (i32.const 31)) (i32.const 0x7fffffff))))
          (local.set $kmin (select (local.get $bits) (local.get $kmin) (i32.lt_s (local.get $bits) (local.get $kmin))))
          (local.set $kmax (select (local.get $bits) (local.get $kmax) (i32.gt_s (local.get $bits) (local.get $kmax))))
          (local.set $d (f64.promote_f32 (f32.load (local.get $p))))
          (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $d) (local.get $d))))
          (local.set $s (f64.add (local.get $s) (local.get $d)))
          (local.set $ab (f64.add (local.get $ab) (f64.abs (local.get $d))))
          (local.set $c (i32.add (local.get $state) (i32.load16_u (i32.add (local.get $lut)
            (i32.shl (i32.load16_u offset=2 (local.get $p)) (i32.const 1))))))
          (i32.store offset=64 (local.get $c) (i32.add (i32.load offset=64 (local.get $c)) (i32.const 1)))
          (br_if $tailRows (i32.lt_u
            (local.tee $p (i32.add (local.get $p) (local.get $stride))) (local.get $end))))
        (local.set $a (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $a) (local.get $sq))
        (local.set $c (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
        (f64.store (local.get $c) (local.get $s))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cols) (i32.const 3))))
        (f64.store (local.get $c) (local.get $ab))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $tail)))
      (br_if $tiles (i32.lt_u (local.tee $r0 (i32.add (local.get $r0) (i32.const 32))) (local.get $rows))))

    ;; Fold the step's sums into the window state, blocks of four columns then the tail.
    (local.set $j (i32.const 0))
    (block $foldDone
      (loop $fold
        (br_if $foldDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
        (local.set $a (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $nsqLo (v128.load (local.get $a)))
        (local.set $nsqHi (v128.load offset=16 (local.get $a)))
        (local.set $c (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $ssLo (v128.load (local.get $c)))
        (local.set $ssHi (v128.load offset=16 (local.get $c)))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $absLo (v128.load (local.get $c)))
        (local.set $absHi (v128.load offset=16 (local.get $c)))
        ;; fold the block's step sums into the window state of columns j … j+3
        (local.set $a (i32.shl (local.get $j) (i32.const 3)))
        (local.set $c (i32.add (local.get $nsq) (local.get $a)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $nsqLo)))
        (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $nsqHi)))
        ;; c_j ← c_j + s_j / rows; Σc_j += c_j; Σc_j² += c_j²
        (local.set $c (i32.add (local.get $pos) (local.get $a)))
        (local.set $t (f64x2.add (v128.load (local.get $c)) (f64x2.div (local.get $ssLo) (local.get $rowsv))))
        (v128.store (local.get $c) (local.get $t))
        (local.set $c (i32.add (local.get $psum) (local.get $a)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $t)))
        (local.set $c (i32.add (local.get $psq) (local.get $a)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $c (i32.add (local.get $pos) (local.get $a)))
        (local.set $t (f64x2.add (v128.load offset=16 (local.get $c)) (f64x2.div (local.get $ssHi) (local.get $rowsv))))
        (v128.store offset=16 (local.get $c) (local.get $t))
        (local.set $c (i32.add (local.get $psum) (local.get $a)))
        (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $t)))
        (local.set $c (i32.add (local.get $psq) (local.get $a)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $tot (f64x2.add (f64x2.add (local.get $tot) (local.get $absLo)) (local.get $absHi)))
        (local.set $stot (f64x2.add (f64x2.add (local.get $stot) (local.get $ssLo)) (local.get $ssHi)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $fold)))
    (local.set $stepAbs (f64.add (f64x2.extract_lane 0 (local.get $tot)) (f64x2.extract_lane 1 (local.get $tot))))
    (local.set $stepSum (f64.add (f64x2.extract_lane 0 (local.get $stot)) (f64x2.extract_lane 1 (local.get $stot))))
    (block $foldTailDone
      (loop $foldTail
        (br_if $foldTailDone (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $a (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $sq (f64.load (local.get $a)))
        (local.set $c (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $s (f64.load (local.get $c)))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $ab (f64.load (local.get $c)))
        (local.set $a (i32.shl (local.get $j) (i32.const 3)))
        (local.set $c (i32.add (local.get $nsq) (local.get $a)))
        (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (local.get $sq)))
        (local.set $c (i32.add (local.get $pos) (local.get $a)))
        (local.set $x (f64.add (f64.load (local.get $c)) (f64.div (local.get $s) (local.get $rowsF))))
        (f64.store (local.get $c) (local.get $x))
        (local.set $c (i32.add (local.get $psum) (local.get $a)))
        (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (local.get $x)))
        (local.set $c (i32.add (local.get $psq) (local.get $a)))
        (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (f64.mul (local.get $x) (local.get $x))))
        (local.set $stepAbs (f64.add (local.get $stepAbs) (local.get $ab)))
        (local.set $stepSum (f64.add (local.get $stepSum) (local.get $s)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $foldTail)))

    (i32.store offset=12 (local.get $state) (local.get $touch)) ;; keeps the touches alive
    (f64.store (local.get $state) (f64.add (f64.load (local.get $state)) (local.get $stepAbs)))
    (f64.store offset=16 (local.get $state) (f64.add (f64.load offset=16 (local.get $state)) (local.get $stepSum)))
    ;; window min and max of key(Δ): SIMD lanes, tail, and the window so far
    (local.set $vmin (i32x4.min_s (local.get $vmin) (i32x4.splat (local.get $kmin))))
    (local.set $vmax (i32x4.max_s (local.get $vmax) (i32x4.splat (local.get $kmax))))
    (local.set $vmin (i32x4.min_s (local.get $vmin) (i32x4.splat (i32.load offset=24 (local.get $state)))))
    (local.set $vmax (i32x4.max_s (local.get $vmax) (i32x4.splat (i32.load offset=28 (local.get $state)))))
    (local.set $vmin (i32x4.min_s (local.get $vmin) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vmin) (local.get $vmin))))
    (local.set $vmin (i32x4.min_s (local.get $vmin) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $vmin) (local.get $vmin))))
    (local.set $vmax (i32x4.max_s (local.get $vmax) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vmax) (local.get $vmax))))
    (local.set $vmax (i32x4.max_s (local.get $vmax) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $vmax) (local.get $vmax))))
    (i32.store offset=24 (local.get $state) (i32x4.extract_lane 0 (local.get $vmin)))
    (i32.store offset=28 (local.get $state) (i32x4.extract_lane 0 (local.get $vmax)))
    ;; window max of |Δ| bits: SIMD lanes, tail, and the window so far
    (local.set $maxS (select (local.get $maxS) (i32.load offset=8 (local.get $state))
      (i32.gt_s (local.get $maxS) (i32.load offset=8 (local.get $state)))))
    (local.set $bits (i32x4.extract_lane 0 (local.get $max)))
    (local.set $maxS (select (local.get $bits) (local.get $maxS) (i32.gt_s (local.get $bits) (local.get $maxS))))
    (local.set $bits (i32x4.extract_lane 1 (local.get $max)))
    (local.set $maxS (select (local.get $bits) (local.get $maxS) (i32.gt_s (local.get $bits) (local.get $maxS))))
    (local.set $bits (i32x4.extract_lane 2 (local.get $max)))
    (local.set $maxS (select (local.get $bits) (local.get $maxS) (i32.gt_s (local.get $bits) (local.get $maxS))))
    (local.set $bits (i32x4.extract_lane 3 (local.get $max)))
    (local.set $maxS (select (local.get $bits) (local.get $maxS) (i32.gt_s (local.get $bits) (local.get $maxS))))
    (i32.store offset=8 (local.get $state) (local.get $maxS))
    (i32.lt_s (local.get $maxS) (i32.const 0x7f800000)))
)
