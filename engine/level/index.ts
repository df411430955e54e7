// The abstract-level adapter's public surface: StrataLevel and the types its callers name.
export { StrataLevel } from './strata-level.js'
export type { StrataLevelOptions, StrataWriteOptions } from './strata-level.js'
export { StrataLevelError } from './errors.js'
