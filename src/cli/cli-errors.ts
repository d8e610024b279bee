/**
 * Exit codes of `npm run cli`: 0 done; 1 the command ran but some of its work failed (an event still failing,
 * an account that could not be synced); 2 a usage or configuration error (nothing was done); 3 an unexpected
 * error (a database or Stripe that cannot be reached).
 */
export const EXIT_OK = 0;
export const EXIT_WORK_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_ERROR = 3;

/** A bad command line: unknown command or option, missing argument, malformed value. */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;

  /** `reported`: the parser already printed the message and the usage hint. */
  constructor(
    message: string,
    readonly reported = false,
  ) {
    super(message);
  }
}

/** Parses a time given as ISO 8601 or unix seconds. */
export function parseTime(value: string, option: string): Date {
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--${option} must be ISO 8601 or unix seconds`);
  return date;
}

/** Parses a whole number within bounds. */
export function parseWhole(value: string, option: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max)
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}`);
  return number;
}
