/**
 * The error for what the user typed wrong. It lives in its own file so every command can throw it
 * without importing the dispatcher in main.ts, which imports the commands.
 *
 * @module
 */

/** An error in what the user typed: reported as one line, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
