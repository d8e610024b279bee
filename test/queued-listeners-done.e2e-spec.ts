/**
 * Queued mode: listener jobs of one event finishing on two workers at the same moment. Each removes its own
 * listener from the event's pending list; neither may undo the other's (the list is computed from the locked
 * row, not from the statement's snapshot), and the event ends `processed` once both ran. On PGlite (one
 * session) the two writes take turns, which the same assertions cover.
 */
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeEvent } from '../src/stripe-connect/index.js';
import { QueuedEventsRepository } from '../src/stripe-connect/webhooks/queue/queued-events.repository.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const LISTENERS = ['Audit.onEvent', 'Mailer.onEvent', 'Ledger.onEvent'];

describe('queued listeners finishing one event at once', () => {
  let t: TestApp;
  let db: DataSource;
  let queued: QueuedEventsRepository;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    queued = new QueuedEventsRepository(db);
  });
  afterAll(() => t.close());

  const stored = async (id: string) => {
    const events = db.getRepository(StripeEvent);
    await events.save(
      events.create({
        id,
        type: 'account.updated',
        livemode: false,
        apiVersion: null,
        stripeCreatedAt: new Date(1_790_000_000_000),
        payload: { id, object: 'event', type: 'account.updated' },
        status: 'pending',
        attempts: 1,
        syncedAt: new Date(),
        pendingListeners: [...LISTENERS],
      }),
    );
  };

  it('keeps every listener that ran out of the list when two finish while the first is uncommitted', async () => {
    const id = `evt_listeners_done_${Date.now()}`;
    await stored(id);
    const first = db.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    await queued.listenersDone(first.manager, [{ id, listener: LISTENERS[0] }]);
    // The second worker's statement starts while the first still holds the row, then waits for it.
    const second = queued.listenersDone(db.manager, [{ id, listener: LISTENERS[1] }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.commitTransaction();
    await first.release();
    await second;
    const row = await db.getRepository(StripeEvent).findOneByOrFail({ id });
    expect(row.pendingListeners).toEqual([LISTENERS[2]]);
    expect(row.status).toBe('pending');
    await queued.listenersDone(db.manager, [{ id, listener: LISTENERS[2] }]);
    const done = await db.getRepository(StripeEvent).findOneByOrFail({ id });
    expect(done.pendingListeners).toEqual([]);
    expect(done.status).toBe('processed');
    expect(done.processedAt).not.toBeNull();
  });

  it('finishes many events from batches in opposite orders without a deadlock or a lost listener', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `evt_listeners_many_${Date.now()}_${i}`);
    for (const id of ids) await stored(id);
    const batch = (listener: string, order: string[]) =>
      db.transaction((manager) =>
        queued.listenersDone(
          manager,
          order.map((id) => ({ id, listener })),
        ),
      );
    await Promise.all([
      batch(LISTENERS[0], ids),
      batch(LISTENERS[1], [...ids].reverse()),
      batch(LISTENERS[2], [...ids.slice(20), ...ids.slice(0, 20)]),
    ]);
    const rows = await db.getRepository(StripeEvent).findBy(ids.map((id) => ({ id })));
    expect(
      rows.filter((row) => row.status !== 'processed' || row.pendingListeners?.length),
    ).toEqual([]);
  });
});
