/**
 * The Stripe time of an API answer: its `Date` header (Stripe's clock, one-second resolution), or now when
 * absent. Snapshots written from API answers are dated by it, so the webhook path's ordering guard compares
 * them with event times on one clock; a tie is settled by re-fetching.
 */
export function stripeTimeOf(answer: unknown): Date {
  const source = answer as
    | { lastResponse?: { headers?: Record<string, string> }; headers?: Record<string, string> }
    | undefined;
  const header = source?.lastResponse?.headers?.date ?? source?.headers?.date;
  const parsed = header ? new Date(header) : undefined;
  return parsed && !Number.isNaN(parsed.getTime())
    ? parsed
    : new Date(Math.floor(Date.now() / 1000) * 1000);
}
