// StrataError: the one error class the public API throws, with a closed set of stable codes.
// Every failure that reaches a caller is one of these; `cause` keeps the underlying error.
// See SPEC.md, "Errors".

/** The closed set of error codes. Stable: callers switch on them. */
export type StrataErrorCode =
  | 'INVALID_ARGUMENT'
  | 'CORRUPTION'
  | 'IO_ERROR'
  | 'LOCKED'
  | 'CLOSED'
  | 'NOT_SUPPORTED'

export const ERROR_CODES: readonly StrataErrorCode[] = Object.freeze([
  'INVALID_ARGUMENT',
  'CORRUPTION',
  'IO_ERROR',
  'LOCKED',
  'CLOSED',
  'NOT_SUPPORTED',
])

/** An error from stratadb. `code` is one of {@link StrataErrorCode}. */
export class StrataError extends Error {
  readonly code: StrataErrorCode
  /** True when a test's fault-injecting file system caused this error, not the real one. */
  readonly injected: boolean

  constructor(code: StrataErrorCode, message: string, options?: { cause?: unknown; injected?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'StrataError'
    this.code = code
    this.injected = options?.injected ?? isInjected(options?.cause)
  }
}

function isInjected(cause: unknown): boolean {
  return typeof cause === 'object' && cause !== null && (cause as { injected?: unknown }).injected === true
}

/** Damaged bytes: `file@offset: what`. Corrupt data is never returned as good. */
export function corruption(file: string, offset: number, what: string): StrataError {
  return new StrataError('CORRUPTION', `${file}@${offset}: ${what}`)
}

/** A failed file-system operation, keeping the OS error as `cause`. */
export function ioError(op: string, path: string, cause: unknown): StrataError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new StrataError('IO_ERROR', `${op} ${path}: ${detail}`, { cause })
}

export function invalidArgument(message: string): StrataError {
  return new StrataError('INVALID_ARGUMENT', message)
}

export function notSupported(message: string): StrataError {
  return new StrataError('NOT_SUPPORTED', message)
}

export function closed(what = 'database'): StrataError {
  return new StrataError('CLOSED', `the ${what} is closed`)
}

export function locked(path: string, holder: string): StrataError {
  return new StrataError('LOCKED', `${path} is locked by ${holder}`)
}

/** True for a StrataError with the given code. */
export function isStrataError(err: unknown, code?: StrataErrorCode): err is StrataError {
  return err instanceof StrataError && (code === undefined || err.code === code)
}
