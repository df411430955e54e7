// The invariant switch for this layer: expensive or redundant self-checks (key order in the
// table builder) run only when STRATADB_INVARIANTS=1 is set when the module loads (tests,
// fuzzing). Free in production. (A shared engine/base/invariants.ts should replace this.)

/** True when invariant checks are on. Read once. */
export const CHECK_INVARIANTS: boolean = typeof process !== 'undefined' && process.env['STRATADB_INVARIANTS'] === '1'
