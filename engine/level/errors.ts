// Errors StrataLevel hands to abstract-level: the engine's StrataError codes translated into
// the LEVEL_* codes the Level ecosystem switches on (abstract-level's README, "Errors"). The
// StrataError is kept as `cause`, so its code and file/offset message stay reachable.
import { StrataError } from '../errors.js'
import type { StrataErrorCode } from '../errors.js'

/** The LEVEL_* code for each engine code. */
const LEVEL_CODES: Readonly<Record<StrataErrorCode, string>> = Object.freeze({
  INVALID_ARGUMENT: 'LEVEL_INVALID_ARGUMENT',
  CORRUPTION: 'LEVEL_CORRUPTION',
  IO_ERROR: 'LEVEL_IO_ERROR',
  LOCKED: 'LEVEL_LOCKED',
  CLOSED: 'LEVEL_DATABASE_NOT_OPEN',
  NOT_SUPPORTED: 'LEVEL_NOT_SUPPORTED',
})

/** An error as abstract-level callers see it: a LEVEL_* `code`; an engine error as `cause`. */
export class StrataLevelError extends Error {
  readonly code: string
  /** The engine's code where an engine error caused this one. */
  readonly strataCode: StrataErrorCode | undefined

  constructor(code: string, message: string, cause?: StrataError) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'StrataLevelError'
    this.code = code
    this.strataCode = cause?.code
  }
}

/** The engine error `err` with its LEVEL_* code; `message` replaces the engine's. */
export function fromStrataError(err: StrataError, message = err.message): StrataLevelError {
  return new StrataLevelError(LEVEL_CODES[err.code], message, err)
}

/** A snapshot used after close(), as abstract-level reports it. */
export function snapshotNotOpen(): StrataLevelError {
  return new StrataLevelError('LEVEL_SNAPSHOT_NOT_OPEN', 'Snapshot is not open: cannot use snapshot after close()')
}

/** `err` translated for abstract-level when it is a StrataError; anything else unchanged. */
export function toLevelError(err: unknown): unknown {
  return err instanceof StrataError ? fromStrataError(err) : err
}

/** Runs `fn`, rethrowing a StrataError as a StrataLevelError. */
export function translated<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw toLevelError(err)
  }
}

/** `promise`, its rejection translated. */
export function translatedAsync<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    throw toLevelError(err)
  })
}
