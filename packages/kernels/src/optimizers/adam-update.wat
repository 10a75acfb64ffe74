;; One Adam update of n float32 values held in this module's memory, four lanes at a time (WebAssembly SIMD), then
;; the last n mod 4 one at a time. It overwrites w, m and v with w', m' and v'. Every f32 / f32x4 operation is
;; IEEE 754 correctly rounded, so it computes exactly what adamUpdateValues in FusedAdamUpdate.ts does (tfjs-core's
;; order of float32 operations), several times faster than that JavaScript loop (bench/results/).
;; Assembled into adam-update-wasm.ts by `pnpm --filter @forger/kernels assemble:wasm`; a test checks the two agree.
(module
  (memory (export "memory") 1)
  (func (export "adamUpdate")
    (param $n i32) (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $beta1 f32) (param $beta2 f32) (param $oneMinusBeta1 f32) (param $oneMinusBeta2 f32)
    (param $epsilon f32) (param $negLearningRate f32) (param $correction1 f32) (param $correction2 f32)
    (local $at i32) (local $vectorEnd i32) (local $end i32)
    (local $b1 v128) (local $b2 v128) (local $omb1 v128) (local $omb2 v128)
    (local $eps v128) (local $nlr v128) (local $c1 v128) (local $c2 v128)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $omb1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $omb2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (local.set $nlr (f32x4.splat (local.get $negLearningRate)))
    (local.set $c1 (f32x4.splat (local.get $correction1)))
    (local.set $c2 (f32x4.splat (local.get $correction2)))
    ;; byte offsets from the start of each array
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $end) (i32.const -16)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $at))))
        ;; m' = m·β1 + g·(1−β1);  v' = v·β2 + g²·(1−β2)
        (local.set $mi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (local.get $b1))
          (f32x4.mul (local.get $gi) (local.get $omb1))))
        (local.set $vi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (local.get $b2))
          (f32x4.mul (f32x4.mul (local.get $gi) (local.get $gi)) (local.get $omb2))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vi))
        ;; w' = (m'/c1) / (√(v'/c2) + ε) · (−lr) + w
        (v128.store (i32.add (local.get $w) (local.get $at))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mi) (local.get $c1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vi) (local.get $c2))) (local.get $eps)))
              (local.get $nlr))
            (v128.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vectors)))
    (block $scalarsDone
      (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $beta1))
          (f32.mul (local.get $gs) (local.get $oneMinusBeta1))))
        (local.set $vs (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $beta2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $oneMinusBeta2))))
        (f32.store (i32.add (local.get $m) (local.get $at)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $at)) (local.get $vs))
        (f32.store (i32.add (local.get $w) (local.get $at))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $ms) (local.get $correction1))
                (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $correction2))) (local.get $epsilon)))
              (local.get $negLearningRate))
            (f32.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $scalars)))))
