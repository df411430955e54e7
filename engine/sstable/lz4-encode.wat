;; LZ4 block encoder, WebAssembly text. The source of the bytes in lz4-encode-wasm.ts
;; (`npm run build:wasm` regenerates them; test/sstable/lz4-encode.test.ts checks they match).
;; Output: one raw LZ4 block, the format lz4-decode.wat describes (token · literal-length-ext* ·
;; literals · offset · match-length-ext*, the last sequence literals only).
;;
;; The algorithm is lz4-compress.ts's, step for step, so the two give the same bytes for the
;; same input (the tests hold them to that): LZ4's fast greedy search, a 4,096-slot hash table
;; of 4-byte sequences giving one candidate per position; a candidate within 65,535 bytes back
;; whose 4 bytes match is extended backward over pending literals and forward (8 bytes at a
;; time here), then emitted; after 2^5 misses in a row the step grows by one. The format's end
;; rules hold: no match starts in the last 12 bytes, the last 5 bytes are always literals.
;;
;; Memory: the hash table is bytes [0, 16384). A slot holds `delta + position`, with `delta`
;; chosen per call so that every slot written by an earlier call is below this call's $base:
;; stale slots read as positions before `src` and are refused, so the table is never cleared
;; (except when $base would overflow).
;;
;; compress(src, srcEnd, dst) -> the end of the output in [dst, ...).
;; REQUIRES: src >= 16384; 16 bytes of scratch after srcEnd; room at dst for LZ4's bound
;; (n + n / 255 + 16) plus 16 bytes of scratch: short literal runs are copied 16 bytes at a
;; time ("wild"), reading and writing past their end into that scratch.
(module
  (memory (export "memory") 1)
  (global $base (mut i32) (i32.const 1))

  ;; The table slot's byte address for the 4 bytes at $p (Knuth's multiplicative hash, 12 bits).
  (func $slot (param $p i32) (result i32)
    (i32.shl
      (i32.shr_u (i32.mul (i32.load (local.get $p)) (i32.const 0x9E3779B1)) (i32.const 20))
      (i32.const 2)))

  ;; Writes the part of a length beyond a token's 15 (extension bytes of 255 until one is less).
  (func $lengthTail (param $op i32) (param $rest i32) (result i32)
    (block $done
      (loop $more
        (br_if $done (i32.lt_u (local.get $rest) (i32.const 255)))
        (i32.store8 (local.get $op) (i32.const 255))
        (local.set $op (i32.add (local.get $op) (i32.const 1)))
        (local.set $rest (i32.sub (local.get $rest) (i32.const 255)))
        (br $more)))
    (i32.store8 (local.get $op) (local.get $rest))
    (i32.add (local.get $op) (i32.const 1)))

  ;; Copies $len literal bytes from $from to $op: 16 wild bytes when that covers them, else one
  ;; bulk copy. Returns the end of the copy.
  (func $literals (param $op i32) (param $from i32) (param $len i32) (result i32)
    (if (i32.le_u (local.get $len) (i32.const 16))
      (then
        (i64.store (local.get $op) (i64.load (local.get $from)))
        (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $from))))
      (else
        (memory.copy (local.get $op) (local.get $from) (local.get $len))))
    (i32.add (local.get $op) (local.get $len)))

  (func (export "compress") (param $src i32) (param $srcEnd i32) (param $dst i32) (result i32)
    (local $n i32) (local $delta i32) (local $op i32) (local $anchor i32)
    (local $matchLimit i32) (local $lastStart i32) (local $i i32) (local $misses i32)
    (local $slot i32) (local $cand i32) (local $m i32) (local $c i32) (local $e i32) (local $ce i32)
    (local $x i64) (local $lit i32) (local $ml i32)
    (local.set $n (i32.sub (local.get $srcEnd) (local.get $src)))
    (if (i32.ge_u (i32.add (i32.add (global.get $base) (local.get $n)) (i32.const 65536)) (i32.const 0x7fffffff))
      (then
        (memory.fill (i32.const 0) (i32.const 0) (i32.const 16384))
        (global.set $base (i32.const 1))))
    (local.set $delta (i32.sub (global.get $base) (local.get $src)))
    ;; the next call's slots all lie above every slot of this one
    (global.set $base (i32.add (i32.add (global.get $base) (local.get $n)) (i32.const 65536)))
    (local.set $op (local.get $dst))
    (local.set $anchor (local.get $src))
    (if (i32.ge_u (local.get $n) (i32.const 13))
      (then
        (local.set $matchLimit (i32.sub (local.get $srcEnd) (i32.const 5)))
        (local.set $lastStart (i32.sub (local.get $srcEnd) (i32.const 12)))
        (local.set $i (i32.add (local.get $src) (i32.const 1)))
        (local.set $misses (i32.const 32))
        (i32.store (call $slot (local.get $src)) (i32.add (local.get $delta) (local.get $src)))
        (block $scanned
          (loop $scan
            (br_if $scanned (i32.gt_u (local.get $i) (local.get $lastStart)))
            (local.set $slot (i32.shl  ;; $slot's body, inlined on the hot path
              (i32.shr_u (i32.mul (i32.load (local.get $i)) (i32.const 0x9E3779B1)) (i32.const 20))
              (i32.const 2)))
            (local.set $cand (i32.sub (i32.load (local.get $slot)) (local.get $delta)))
            (i32.store (local.get $slot) (i32.add (local.get $delta) (local.get $i)))
            ;; a candidate: written this call (not before src), within reach, same 4 bytes
            ;; (checked in that order: a stale slot's address may lie outside memory)
            (if (i32.eqz
                  (block $candidate (result i32)
                    (drop (br_if $candidate (i32.const 0) (i32.lt_s (local.get $cand) (local.get $src))))
                    (drop (br_if $candidate (i32.const 0)
                      (i32.gt_u (i32.sub (local.get $i) (local.get $cand)) (i32.const 65535))))
                    (i32.eq (i32.load (local.get $cand)) (i32.load (local.get $i)))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.shr_u (local.get $misses) (i32.const 5))))
                (local.set $misses (i32.add (local.get $misses) (i32.const 1)))
                (br $scan)))
            (local.set $misses (i32.const 32))

            ;; extend backward over pending literals
            (local.set $m (local.get $i))
            (local.set $c (local.get $cand))
            (block $back
              (loop $step
                (br_if $back (i32.le_u (local.get $m) (local.get $anchor)))
                (br_if $back (i32.le_u (local.get $c) (local.get $src)))
                (br_if $back (i32.ne
                  (i32.load8_u (i32.sub (local.get $m) (i32.const 1)))
                  (i32.load8_u (i32.sub (local.get $c) (i32.const 1)))))
                (local.set $m (i32.sub (local.get $m) (i32.const 1)))
                (local.set $c (i32.sub (local.get $c) (i32.const 1)))
                (br $step)))

            ;; extend forward, 8 bytes at a time while 8 fit before matchLimit, then by bytes
            (local.set $e (i32.add (local.get $i) (i32.const 4)))
            (local.set $ce (i32.add (local.get $cand) (i32.const 4)))
            (block $extended
              (block $bytes
                (loop $eight
                  (br_if $bytes (i32.gt_u (i32.add (local.get $e) (i32.const 8)) (local.get $matchLimit)))
                  (local.set $x (i64.xor (i64.load (local.get $e)) (i64.load (local.get $ce))))
                  (if (i64.ne (local.get $x) (i64.const 0))
                    (then
                      (local.set $e (i32.add (local.get $e)
                        (i32.wrap_i64 (i64.shr_u (i64.ctz (local.get $x)) (i64.const 3)))))
                      (br $extended)))
                  (local.set $e (i32.add (local.get $e) (i32.const 8)))
                  (local.set $ce (i32.add (local.get $ce) (i32.const 8)))
                  (br $eight)))
              (loop $byte
                (br_if $extended (i32.ge_u (local.get $e) (local.get $matchLimit)))
                (br_if $extended (i32.ne (i32.load8_u (local.get $e)) (i32.load8_u (local.get $ce))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (local.set $ce (i32.add (local.get $ce) (i32.const 1)))
                (br $byte)))

            ;; emit: token · literal tail · literals · offset · match tail
            (local.set $lit (i32.sub (local.get $m) (local.get $anchor)))
            (local.set $ml (i32.sub (i32.sub (local.get $e) (local.get $m)) (i32.const 4)))
            (i32.store8 (local.get $op)
              (i32.or
                (i32.shl (select (i32.const 15) (local.get $lit) (i32.ge_u (local.get $lit) (i32.const 15))) (i32.const 4))
                (select (i32.const 15) (local.get $ml) (i32.ge_u (local.get $ml) (i32.const 15)))))
            (local.set $op (i32.add (local.get $op) (i32.const 1)))
            (if (i32.ge_u (local.get $lit) (i32.const 15))
              (then (local.set $op (call $lengthTail (local.get $op) (i32.sub (local.get $lit) (i32.const 15))))))
            (local.set $op (call $literals (local.get $op) (local.get $anchor) (local.get $lit)))
            (i32.store16 (local.get $op) (i32.sub (local.get $m) (local.get $c)))
            (local.set $op (i32.add (local.get $op) (i32.const 2)))
            (if (i32.ge_u (local.get $ml) (i32.const 15))
              (then (local.set $op (call $lengthTail (local.get $op) (i32.sub (local.get $ml) (i32.const 15))))))

            (local.set $anchor (local.get $e))
            (local.set $i (local.get $e))
            (if (i32.le_u (local.get $i) (local.get $lastStart))
              (then
                (i32.store (call $slot (i32.sub (local.get $i) (i32.const 2)))
                  (i32.add (local.get $delta) (i32.sub (local.get $i) (i32.const 2))))))
            (br $scan)))))

    ;; the last sequence: literals only
    (local.set $lit (i32.sub (local.get $srcEnd) (local.get $anchor)))
    (i32.store8 (local.get $op)
      (i32.shl (select (i32.const 15) (local.get $lit) (i32.ge_u (local.get $lit) (i32.const 15))) (i32.const 4)))
    (local.set $op (i32.add (local.get $op) (i32.const 1)))
    (if (i32.ge_u (local.get $lit) (i32.const 15))
      (then (local.set $op (call $lengthTail (local.get $op) (i32.sub (local.get $lit) (i32.const 15))))))
    (memory.copy (local.get $op) (local.get $anchor) (local.get $lit))
    (i32.add (local.get $op) (local.get $lit))))
