/** fluctlab's version, recorded in every result (kept in step with package.json by a test). */
export const FLUCTLAB_VERSION = '0.1.0';
