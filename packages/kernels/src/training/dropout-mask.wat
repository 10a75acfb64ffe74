;; Dropout as @forger/models' random-noise.ts defines it, applied to n float32 values in this module's memory, four
;; lanes at a time (WebAssembly SIMD), then the last n mod 4 one at a time:
;;   out[i] = x[i] · (unit(i) ≥ rate ? scale : 0),  unit(i) = (bits(i) >>> 8) · 2⁻²⁴,
;;   bits(i) = lowbias32(lowbias32((2i) ^ seed) ^ key2),  key2 = lowbias32(seed ^ 0x9e3779b9) (given by the caller).
;; Integer hashing wraps mod 2³² as Math.imul does; the 24-bit unit is exact in float32, the product is one correctly
;; rounded f32 multiply: the same bits as noiseValues + the JavaScript loop in RandomNoise.ts, and as the WGSL.
;; Assembled into dropout-mask-wasm.ts by `pnpm --filter @forger/kernels assemble:wasm`; a test checks the two agree.
(module
  (memory (export "memory") 1)

  (func $lowbias32x4 (param $x v128) (result v128)
    (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32x4.mul (local.get $x) (i32x4.splat (i32.const 0x7feb352d))))
    (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32x4.mul (local.get $x) (i32x4.splat (i32.const 0x846ca68b))))
    (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))

  (func $lowbias32 (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x7feb352d)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x846ca68b)))
    (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))

  (func (export "dropout")
    (param $n i32) (param $x i32) (param $out i32) (param $seed i32) (param $key2 i32) (param $rate f32) (param $scale f32)
    (local $i i32) (local $at i32) (local $vectorEnd i32)
    (local $index v128) (local $seeds v128) (local $keys v128) (local $rates v128) (local $scales v128) (local $bits v128)
    (local $unit f32)
    (local.set $seeds (i32x4.splat (local.get $seed)))
    (local.set $keys (i32x4.splat (local.get $key2)))
    (local.set $rates (f32x4.splat (local.get $rate)))
    (local.set $scales (f32x4.splat (local.get $scale)))
    (local.set $index (v128.const i32x4 0 1 2 3))
    (local.set $vectorEnd (i32.and (local.get $n) (i32.const -4)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $bits (call $lowbias32x4 (v128.xor
          (call $lowbias32x4 (v128.xor (i32x4.shl (local.get $index) (i32.const 1)) (local.get $seeds)))
          (local.get $keys))))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (f32x4.mul
            (v128.load (i32.add (local.get $x) (local.get $at)))
            ;; kept: the scale; dropped: +0, so a dropped negative value is −0 as in JavaScript
            (v128.and
              (local.get $scales)
              (f32x4.ge
                (f32x4.mul (f32x4.convert_i32x4_u (i32x4.shr_u (local.get $bits) (i32.const 8))) (f32x4.splat (f32.const 0x1p-24)))
                (local.get $rates)))))
        (local.set $index (i32x4.add (local.get $index) (i32x4.splat (i32.const 4))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $scalarsDone
      (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $unit (f32.mul
          (f32.convert_i32_u (i32.shr_u
            (call $lowbias32 (i32.xor
              (call $lowbias32 (i32.xor (i32.shl (local.get $i) (i32.const 1)) (local.get $seed)))
              (local.get $key2)))
            (i32.const 8)))
          (f32.const 0x1p-24)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32.mul
            (f32.load (i32.add (local.get $x) (local.get $at)))
            (select (local.get $scale) (f32.const 0) (f32.ge (local.get $unit) (local.get $rate)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalars)))))
