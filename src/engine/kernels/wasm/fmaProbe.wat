;; c + a·b on lane 0, written as gemm.wat writes its products. Built only through scripts/fmaWat.ts, where it becomes
;; one f32x4.relaxed_madd: engine/kernels/arithmetic.ts calls it on values whose one and two roundings differ, to learn
;; whether this engine has relaxed SIMD (the module compiles) and fuses it (the result is the once-rounded one).
;; A module of its own, a few bytes, so that it compiles synchronously even on a browser's main thread.
(module
  (import "env" "memory" (memory 1))
  (func (export "probe") (param $a f32) (param $b f32) (param $c f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.add (f32x4.splat (local.get $c)) (f32x4.mul (f32x4.splat (local.get $a)) (f32x4.splat (local.get $b)))))))
