import type Stripe from 'stripe';

/**
 * Every event of the platform and of the given connected accounts, oldest first, as Stripe created them
 * (Stripe lists newest first; within one second, that order is the order of creation).
 */
export async function capturedEvents(stripe: Stripe, accounts: string[]): Promise<Stripe.Event[]> {
  const captured: Stripe.Event[] = [];
  const seen = new Set<string>();
  for (const scope of [undefined, ...accounts]) {
    const all: Stripe.Event[] = [];
    await stripe.events
      .list({ limit: 100 }, scope ? { stripeAccount: scope } : undefined)
      .autoPagingEach((event) => {
        all.push(event);
      });
    for (const event of all.reverse()) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      captured.push(event);
    }
  }
  // A stable sort: events of one second keep their order of creation.
  return captured.sort((a, b) => a.created - b.created);
}
