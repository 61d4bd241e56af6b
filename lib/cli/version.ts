/**
 * stepgrad's version, as `stepgrad --version` prints it (kept equal to deno.json's "version" by a
 * test; a constant so an installed or remote copy needs no file access to know it).
 *
 * @module
 */

/** The version of this copy of stepgrad. */
export const VERSION = "0.1.0";
