;; A batch of images as the network's float32 input: `count` uint8 pixels at `src` (the rows already gathered into the
;; heap) become pixel · scale at `dst`. The same floats as tfjs's tensor2d of the raw values times the float32 scalar
;; (every uint8 is exact in float32, then one rounded multiply), in one SIMD pass where the batch used to take a
;; per-element uint8 → float32 conversion in JavaScript, an upload and a Multiply kernel (the default MLP: ~60 µs of a
;; ~0.9 ms step).
;;
;; Compiled by scripts/build-wasm.ts into src/engine/kernels/wasm/batchWasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "pixels") (param $src i32) (param $dst i32) (param $count i32) (param $scale f32)
    (local $end i32) (local $x v128) (local $lo v128) (local $hi v128) (local $s v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $end (i32.add (local.get $src) (local.get $count)))
    ;; sixteen pixels at a time: u8 → u16 → u32 → f32, times the scale
    (block $vd (loop $vl
      (br_if $vd (i32.gt_u (i32.add (local.get $src) (i32.const 16)) (local.get $end)))
      (local.set $x (v128.load (local.get $src)))
      (local.set $lo (i16x8.extend_low_i8x16_u (local.get $x)))
      (local.set $hi (i16x8.extend_high_i8x16_u (local.get $x)))
      (v128.store (local.get $dst) (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $lo))) (local.get $s)))
      (v128.store offset=16 (local.get $dst) (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $lo))) (local.get $s)))
      (v128.store offset=32 (local.get $dst) (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $hi))) (local.get $s)))
      (v128.store offset=48 (local.get $dst) (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $hi))) (local.get $s)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
      (br $vl)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $src) (local.get $end)))
      (f32.store (local.get $dst) (f32.mul (f32.convert_i32_u (i32.load8_u (local.get $src))) (local.get $scale)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $l))))
)
