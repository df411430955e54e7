// Engine bugs the campaigns found that are not fixed yet (see /tmp/prompts/bugs.md and the
// regression tests in fuzz/regressions/). While a bug is open its trigger is excluded here so
// that the rest of the property keeps running; each exclusion is counted in the summary.
// FUZZ_STRICT=1 turns every exclusion off (to check a fix). Delete an entry once fixed.
//
// Fixed, exclusions removed: #1 orphan compaction inputs (22425f7); #2 replay after an
// interrupted recovery duplicating entries, #3 a WAL tail torn at a sector read as CORRUPTION,
// #4 an unhandled rejection from a retired WAL's failed close (all 1006310).
const strict = process.env['FUZZ_STRICT'] === '1'

export const KNOWN_BUGS = Object.freeze({
  /** #5: damage in the MANIFEST's last record drops that (acted-on) edit silently: a wrong state. */
  manifestTailDrop: !strict,
})
