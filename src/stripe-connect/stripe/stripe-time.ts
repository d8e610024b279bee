/** Headers of an SDK answer (`lastResponse.headers`) or of an error's raw answer (`headers`). */
function headersOf(answer: unknown): Record<string, string> | undefined {
  const source = answer as
    | { lastResponse?: { headers?: Record<string, string> }; headers?: Record<string, string> }
    | undefined;
  return source?.lastResponse?.headers ?? source?.headers;
}

/**
 * The Stripe time of an API answer: its `Date` header (Stripe's clock, one-second resolution), or now when
 * absent. Snapshots written from API answers are dated by it, so the webhook path's ordering guard compares
 * them with event times on one clock; a tie is settled by re-fetching.
 */
export function stripeTimeOf(answer: unknown): Date {
  const header = headersOf(answer)?.date;
  const parsed = header ? new Date(header) : undefined;
  return parsed && !Number.isNaN(parsed.getTime())
    ? parsed
    : new Date(Math.floor(Date.now() / 1000) * 1000);
}

/**
 * True when Stripe answered a request from its idempotency cache (`Idempotent-Replayed: true`): the object is
 * the one of the first request, not the current state.
 */
export function isReplayed(answer: unknown): boolean {
  const headers = headersOf(answer);
  const value = headers?.['idempotent-replayed'] ?? headers?.['Idempotent-Replayed'];
  return String(value).toLowerCase() === 'true';
}
