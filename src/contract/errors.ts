/**
 * The project's error types, in one module that every layer may import (so no
 * core module needs another for its errors, and none form an import circle).
 */

/** An error caused by the user's input (the CLI prints its message alone and exits 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Thrown when a run or a sweep is cancelled (its hooks' `cancelled`, an AbortSignal, or a stopped pool). */
export class CancelledError extends Error {
  override name = 'CancelledError';
}
