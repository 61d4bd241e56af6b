/**
 * Base64 for inlining fonts and pictures as `data:` URIs (std's encoding module is not
 * reachable here, and `btoa` wants a string).
 *
 * @module
 */

/**
 * Encodes bytes (or UTF-8 text) as standard base64 with padding.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from "./base64.ts";
 * import assert from "node:assert/strict";
 * assert.equal(encodeBase64("Man"), "TWFu");
 * assert.equal(encodeBase64(new Uint8Array([0xff, 0xfe])), "//4=");
 * ```
 */
export function encodeBase64(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
