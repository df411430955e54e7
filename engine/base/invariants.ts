// The engine's one invariant switch: expensive or redundant self-checks (today: key order in
// the table builder) run only when STRATADB_INVARIANTS=1 is set when the module loads (tests,
// fuzzing). Free in production: a constant false that the JIT folds away.

/** True when invariant checks are on. Read once. */
export const CHECK_INVARIANTS: boolean = typeof process !== 'undefined' && process.env['STRATADB_INVARIANTS'] === '1'
