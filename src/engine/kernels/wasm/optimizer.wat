;; The optimizers' steps in one pass over the parameters (src/engine/training/optimizer.ts; optimizerStep.ts holds the
;; same loops in JavaScript): per element, in float32, each operation rounded as the tfjs ops it replaces round it,
;;
;;   sgd       g' = g [+ θ·w]                          Δ = g'·(−η)
;;   momentum  g' = g [+ θ·w]    u' = u·μ + g'          Δ = u'·(−η)
;;   adam      m' = m·β1 + g·(1−β1)    v' = v·β2 + (g·g)·(1−β2)    Δ = (m' / (√v' + ε')) · s  [ − θ·w ]
;;
;; and then θ' = θ + Δ, with the constants as those ops' float32 scalars (adam: ε' = ε·√(1−β2^t), s the step size with
;; its bias correction, w the decoupled weight decay times the rate; sgd and momentum: w the L2 weight decay). Why: as
;; tfjs ops these are three to twelve passes over θ's size with a kernel dispatch each (LeNet with Adam: ~0.3 ms a
;; step; the 1.06M-parameter autoencoder of the paper study several ms); here one. Multiplies and adds stay separate
;; (no fused multiply-add in either arithmetic: the optimizer's bits are the same in both). Addresses are bytes,
;; `count` is in elements, `decay` 1 applies w. `g` may be read from a layer's part of the gradient, the rest at the
;; matching place of the flat vectors.
;;
;; Compiled by scripts/build-wasm.ts into src/engine/kernels/wasm/optimizerWasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "sgd") (param $g i32) (param $theta i32) (param $dOut i32) (param $thOut i32) (param $count i32)
        (param $lr f32) (param $w f32) (param $decay i32)
    (local $i i32) (local $end i32) (local $vend i32) (local $x v128) (local $vlr v128) (local $vw v128) (local $s f32)
    (local.set $vlr (f32x4.splat (local.get $lr))) (local.set $vw (f32x4.splat (local.get $w)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vend (i32.and (local.get $end) (i32.const -16)))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $i) (local.get $vend)))
      (local.set $x (v128.load (i32.add (local.get $g) (local.get $i))))
      (if (local.get $decay) (then
        (local.set $x (f32x4.add (local.get $x) (f32x4.mul (v128.load (i32.add (local.get $theta) (local.get $i))) (local.get $vw))))))
      (local.set $x (f32x4.mul (local.get $x) (local.get $vlr)))
      (v128.store (i32.add (local.get $dOut) (local.get $i)) (local.get $x))
      (v128.store (i32.add (local.get $thOut) (local.get $i)) (f32x4.add (v128.load (i32.add (local.get $theta) (local.get $i))) (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $s (f32.load (i32.add (local.get $g) (local.get $i))))
      (if (local.get $decay) (then
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (i32.add (local.get $theta) (local.get $i))) (local.get $w))))))
      (local.set $s (f32.mul (local.get $s) (local.get $lr)))
      (f32.store (i32.add (local.get $dOut) (local.get $i)) (local.get $s))
      (f32.store (i32.add (local.get $thOut) (local.get $i)) (f32.add (f32.load (i32.add (local.get $theta) (local.get $i))) (local.get $s)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sl))))

  (func (export "momentum") (param $g i32) (param $u i32) (param $theta i32) (param $dOut i32) (param $uOut i32)
        (param $thOut i32) (param $count i32) (param $mu f32) (param $lr f32) (param $w f32) (param $decay i32)
    (local $i i32) (local $end i32) (local $vend i32) (local $x v128) (local $vmu v128) (local $vlr v128) (local $vw v128)
    (local $s f32)
    (local.set $vmu (f32x4.splat (local.get $mu))) (local.set $vlr (f32x4.splat (local.get $lr)))
    (local.set $vw (f32x4.splat (local.get $w)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vend (i32.and (local.get $end) (i32.const -16)))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $i) (local.get $vend)))
      (local.set $x (v128.load (i32.add (local.get $g) (local.get $i))))
      (if (local.get $decay) (then
        (local.set $x (f32x4.add (local.get $x) (f32x4.mul (v128.load (i32.add (local.get $theta) (local.get $i))) (local.get $vw))))))
      (local.set $x (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $u) (local.get $i))) (local.get $vmu)) (local.get $x)))
      (v128.store (i32.add (local.get $uOut) (local.get $i)) (local.get $x))
      (local.set $x (f32x4.mul (local.get $x) (local.get $vlr)))
      (v128.store (i32.add (local.get $dOut) (local.get $i)) (local.get $x))
      (v128.store (i32.add (local.get $thOut) (local.get $i)) (f32x4.add (v128.load (i32.add (local.get $theta) (local.get $i))) (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $s (f32.load (i32.add (local.get $g) (local.get $i))))
      (if (local.get $decay) (then
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (i32.add (local.get $theta) (local.get $i))) (local.get $w))))))
      (local.set $s (f32.add (f32.mul (f32.load (i32.add (local.get $u) (local.get $i))) (local.get $mu)) (local.get $s)))
      (f32.store (i32.add (local.get $uOut) (local.get $i)) (local.get $s))
      (local.set $s (f32.mul (local.get $s) (local.get $lr)))
      (f32.store (i32.add (local.get $dOut) (local.get $i)) (local.get $s))
      (f32.store (i32.add (local.get $thOut) (local.get $i)) (f32.add (f32.load (i32.add (local.get $theta) (local.get $i))) (local.get $s)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sl))))

  (func (export "adam") (param $g i32) (param $m i32) (param $v i32) (param $theta i32) (param $dOut i32)
        (param $mOut i32) (param $vOut i32) (param $thOut i32) (param $count i32) (param $b1 f32) (param $c1 f32) (param $b2 f32)
        (param $c2 f32) (param $eps f32) (param $step f32) (param $w f32) (param $decay i32)
    (local $i i32) (local $end i32) (local $vend i32)
    (local $xg v128) (local $xm v128) (local $xv v128) (local $xd v128)
    (local $vb1 v128) (local $vc1 v128) (local $vb2 v128) (local $vc2 v128) (local $veps v128) (local $vstep v128) (local $vw v128)
    (local $sg f32) (local $sm f32) (local $sv f32) (local $sd f32)
    (local.set $vb1 (f32x4.splat (local.get $b1))) (local.set $vc1 (f32x4.splat (local.get $c1)))
    (local.set $vb2 (f32x4.splat (local.get $b2))) (local.set $vc2 (f32x4.splat (local.get $c2)))
    (local.set $veps (f32x4.splat (local.get $eps))) (local.set $vstep (f32x4.splat (local.get $step)))
    (local.set $vw (f32x4.splat (local.get $w)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vend (i32.and (local.get $end) (i32.const -16)))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $i) (local.get $vend)))
      (local.set $xg (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $xm (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $vb1))
                                (f32x4.mul (local.get $xg) (local.get $vc1))))
      (local.set $xv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $vb2))
                                (f32x4.mul (f32x4.mul (local.get $xg) (local.get $xg)) (local.get $vc2))))
      (local.set $xd (f32x4.mul (f32x4.div (local.get $xm) (f32x4.add (f32x4.sqrt (local.get $xv)) (local.get $veps)))
                                (local.get $vstep)))
      (if (local.get $decay) (then
        (local.set $xd (f32x4.sub (local.get $xd) (f32x4.mul (v128.load (i32.add (local.get $theta) (local.get $i))) (local.get $vw))))))
      (v128.store (i32.add (local.get $mOut) (local.get $i)) (local.get $xm))
      (v128.store (i32.add (local.get $vOut) (local.get $i)) (local.get $xv))
      (v128.store (i32.add (local.get $dOut) (local.get $i)) (local.get $xd))
      (v128.store (i32.add (local.get $thOut) (local.get $i)) (f32x4.add (v128.load (i32.add (local.get $theta) (local.get $i))) (local.get $xd)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $sg (f32.load (i32.add (local.get $g) (local.get $i))))
      (local.set $sm (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
                              (f32.mul (local.get $sg) (local.get $c1))))
      (local.set $sv (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
                              (f32.mul (f32.mul (local.get $sg) (local.get $sg)) (local.get $c2))))
      (local.set $sd (f32.mul (f32.div (local.get $sm) (f32.add (f32.sqrt (local.get $sv)) (local.get $eps))) (local.get $step)))
      (if (local.get $decay) (then
        (local.set $sd (f32.sub (local.get $sd) (f32.mul (f32.load (i32.add (local.get $theta) (local.get $i))) (local.get $w))))))
      (f32.store (i32.add (local.get $mOut) (local.get $i)) (local.get $sm))
      (f32.store (i32.add (local.get $vOut) (local.get $i)) (local.get $sv))
      (f32.store (i32.add (local.get $dOut) (local.get $i)) (local.get $sd))
      (f32.store (i32.add (local.get $thOut) (local.get $i)) (f32.add (f32.load (i32.add (local.get $theta) (local.get $i))) (local.get $sd)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sl))))
)
