/**
 * Keeping a claim alive while its batch runs: a batch that outlasts its lease (Stripe calls for ties or
 * missing accounts, a slow database) would otherwise see its events taken over by another worker.
 */

/** How often a held claim is renewed: three times per lease, so one late renewal does not lose it. */
export function renewalIntervalMs(leaseSeconds: number): number {
  return Math.max(1, Math.floor((leaseSeconds * 1000) / 3));
}

/**
 * Calls `renew` every `everyMs` until the answered stop function is called; a renewal that fails is
 * reported and the next one still runs. The timer never keeps the process alive.
 */
export function keepRenewing(
  renew: () => Promise<unknown>,
  everyMs: number,
  onError: (error: unknown) => void,
): () => void {
  const timer = setInterval(() => {
    renew().catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
