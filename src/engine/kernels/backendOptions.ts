/**
 * The options of the backend a realm starts, in a module of their own: tf.ts takes them and environment.ts names them
 * in the public initEnvironment, whose declarations must not import tf.ts (and with it TensorFlow.js's own .d.ts).
 */

/** Backend options; only the first initBackend call of a realm applies them. */
export interface BackendOptions {
  /**
   * Threads for the WASM kernels where the host allows them (cross-origin-isolated
   * pages). 1 (the default) picks the single-threaded SIMD build, the same binary
   * Node runs; more picks the threaded SIMD build.
   */
  threads?: number;
}
