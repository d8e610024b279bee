/** Queued mode in the bench: waiting until the workers have processed every stored event. */
import pg from 'pg';

/**
 * Polls the database until no stored event is `pending` (processed or failed), for at most `limitMs`;
 * answers the seconds it waited and the events still pending then (0 when drained).
 */
export async function drainQueue(
  url: string,
  limitMs = 300_000,
): Promise<{ seconds: number; pending: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM stripe_events WHERE status = 'pending'`,
      );
      const pending = rows[0].pending;
      const seconds = (performance.now() - started) / 1000;
      if (!pending || seconds * 1000 > limitMs) return { seconds, pending };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}
