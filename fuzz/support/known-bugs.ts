// Engine bugs the campaigns found that are not fixed yet (see /tmp/prompts/bugs.md and the
// regression tests in fuzz/regressions/). While a bug is open its trigger is excluded here so
// that the rest of the property keeps running; each exclusion is counted in the summary.
// FUZZ_STRICT=1 turns every exclusion off (to check a fix). Delete an entry once fixed.
//
// Fixed, exclusions removed: #1 orphan compaction inputs (22425f7); #2 replay after an
// interrupted recovery duplicating entries, #3 a WAL tail torn at a sector read as CORRUPTION,
// #4 an unhandled rejection from a retired WAL's failed close (all 1006310); #5 damage in the
// MANIFEST's last record dropping an acted-on edit silently (a2402ad).

/** Whether exclusions apply at all (FUZZ_STRICT=1 turns them off). */
export const TOLERATE_KNOWN_BUGS = process.env['FUZZ_STRICT'] !== '1'

/** Open bugs whose triggers are excluded, by name (`name: TOLERATE_KNOWN_BUGS`): none now. */
export const KNOWN_BUGS: Readonly<Record<string, boolean>> = Object.freeze({})
