;; LZ4 block decoder, WebAssembly text. The source of the bytes in lz4-decode-wasm.ts
;; (`npm run build:wasm` regenerates them; test/sstable/lz4-decode.test.ts checks they match).
;; Format: format-spec/sstable.md, "Stored blocks" (type 1 holds one raw LZ4 block), and the
;; LZ4 block format: a run of sequences, each
;;
;;   sequence := token · literal-length-ext* · literals · offset (fixed16 LE) · match-length-ext*
;;
;; token's high nibble is the literal count, its low nibble the match length minus 4; a nibble of
;; 15 continues in extension bytes, each added, until one is below 255. The last sequence ends
;; after its literals (no offset). A match copies `length` bytes from `offset` bytes back in the
;; output, and may overlap what it writes (offset < length repeats a pattern).
;;
;; decode(src, srcEnd, dst, dstEnd) -> bytes written to [dst, dstEnd), or -1 for damaged input.
;; REQUIRES: 16 bytes of scratch after srcEnd and after dstEnd. Short literal runs and matches
;; are copied 8 or 16 bytes at a time and may read or write into those bytes ("wild" copies);
;; every length and offset is checked against srcEnd, dstEnd and dst before it is used, so no
;; input, however damaged, reads or writes outside [src, srcEnd + 16) and [dst, dstEnd + 16).
(module
  (memory (export "memory") 1)
  (func (export "decode") (param $src i32) (param $srcEnd i32) (param $dst i32) (param $dstEnd i32) (result i32)
    (local $op i32) (local $token i32) (local $len i32) (local $b i32) (local $offset i32) (local $m i32) (local $end i32)
    (local.set $op (local.get $dst))
    (block $bad
      (loop $sequence
        (br_if $bad (i32.ge_u (local.get $src) (local.get $srcEnd)))
        (local.set $token (i32.load8_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))

        ;; literals
        (local.set $len (i32.shr_u (local.get $token) (i32.const 4)))
        (if (i32.eq (local.get $len) (i32.const 15))
          (then
            (loop $more
              (br_if $bad (i32.ge_u (local.get $src) (local.get $srcEnd)))
              (local.set $b (i32.load8_u (local.get $src)))
              (local.set $src (i32.add (local.get $src) (i32.const 1)))
              (local.set $len (i32.add (local.get $len) (local.get $b)))
              (br_if $more (i32.eq (local.get $b) (i32.const 255))))))
        (br_if $bad (i32.gt_u (local.get $len) (i32.sub (local.get $srcEnd) (local.get $src))))
        (br_if $bad (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $op))))
        (if (i32.le_u (local.get $len) (i32.const 16))
          (then
            (i64.store (local.get $op) (i64.load (local.get $src)))
            (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $src))))
          (else
            (if (i32.le_u (local.get $len) (i32.const 64))
              (then
                ;; 16 bytes at a time, wild: memory.copy's fixed cost outweighs these short runs.
                (local.set $m (local.get $src))
                (local.set $end (i32.add (local.get $op) (local.get $len)))
                (local.set $b (local.get $op))
                (loop $lit16
                  (i64.store (local.get $b) (i64.load (local.get $m)))
                  (i64.store offset=8 (local.get $b) (i64.load offset=8 (local.get $m)))
                  (local.set $b (i32.add (local.get $b) (i32.const 16)))
                  (local.set $m (i32.add (local.get $m) (i32.const 16)))
                  (br_if $lit16 (i32.lt_u (local.get $b) (local.get $end)))))
              (else
                (memory.copy (local.get $op) (local.get $src) (local.get $len))))))
        (local.set $op (i32.add (local.get $op) (local.get $len)))
        (local.set $src (i32.add (local.get $src) (local.get $len)))
        (if (i32.eq (local.get $src) (local.get $srcEnd))
          (then (return (i32.sub (local.get $op) (local.get $dst)))))

        ;; match: offset, then length
        (br_if $bad (i32.lt_u (i32.sub (local.get $srcEnd) (local.get $src)) (i32.const 2)))
        (local.set $offset (i32.load16_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (br_if $bad (i32.eqz (local.get $offset)))
        (br_if $bad (i32.gt_u (local.get $offset) (i32.sub (local.get $op) (local.get $dst))))
        (local.set $len (i32.and (local.get $token) (i32.const 15)))
        (if (i32.eq (local.get $len) (i32.const 15))
          (then
            (loop $more
              (br_if $bad (i32.ge_u (local.get $src) (local.get $srcEnd)))
              (local.set $b (i32.load8_u (local.get $src)))
              (local.set $src (i32.add (local.get $src) (i32.const 1)))
              (local.set $len (i32.add (local.get $len) (local.get $b)))
              (br_if $more (i32.eq (local.get $b) (i32.const 255))))))
        (local.set $len (i32.add (local.get $len) (i32.const 4)))
        (br_if $bad (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $op))))
        (local.set $m (i32.sub (local.get $op) (local.get $offset)))
        (local.set $end (i32.add (local.get $op) (local.get $len)))
        (if (i32.ge_u (local.get $offset) (local.get $len))
          (then
            ;; No overlap: 16 bytes at a time (wild) up to 64, one bulk copy beyond. Bytes
            ;; read past the match's end lie before `op` or are the wild tail: never needed.
            (if (i32.le_u (local.get $len) (i32.const 64))
              (then
                (loop $match16
                  (i64.store (local.get $op) (i64.load (local.get $m)))
                  (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $m)))
                  (local.set $op (i32.add (local.get $op) (i32.const 16)))
                  (local.set $m (i32.add (local.get $m) (i32.const 16)))
                  (br_if $match16 (i32.lt_u (local.get $op) (local.get $end)))))
              (else
                (memory.copy (local.get $op) (local.get $m) (local.get $len)))))
          (else
            (if (i32.lt_u (local.get $offset) (i32.const 8))
              (then
                ;; Overlap, offset < 8 (a repeated byte or short pattern): the first 8 bytes
                ;; one at a time (wild past a shorter match), then the rest from the same
                ;; pattern d = offset * ceil(8 / offset) bytes back (8 <= d < 8 + offset), so
                ;; each 8-byte load below reads only bytes already written.
                (local.set $b (i32.add (local.get $op) (i32.const 8)))
                (loop $copy1
                  (i32.store8 (local.get $op) (i32.load8_u (local.get $m)))
                  (local.set $op (i32.add (local.get $op) (i32.const 1)))
                  (local.set $m (i32.add (local.get $m) (i32.const 1)))
                  (br_if $copy1 (i32.lt_u (local.get $op) (local.get $b))))
                (local.set $m (i32.sub (local.get $op)
                  (i32.mul (local.get $offset)
                    (i32.div_u (i32.add (local.get $offset) (i32.const 7)) (local.get $offset)))))))
            ;; Overlap, distance op - m >= 8: each 8-byte load reads only bytes already written.
            (if (i32.lt_u (local.get $op) (local.get $end))
              (then
                (loop $copy8
                  (i64.store (local.get $op) (i64.load (local.get $m)))
                  (local.set $op (i32.add (local.get $op) (i32.const 8)))
                  (local.set $m (i32.add (local.get $m) (i32.const 8)))
                  (br_if $copy8 (i32.lt_u (local.get $op) (local.get $end))))))))
        (local.set $op (local.get $end))
        (br $sequence)))
    (i32.const -1)))
