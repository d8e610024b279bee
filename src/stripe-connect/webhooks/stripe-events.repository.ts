import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { EventProcessingError } from './event-processing-error.entity.js';
import { rowsOf } from '../common/mirror-writer.js';
import { StripeEvent, type StripeEventStatus } from './stripe-event.entity.js';
import { eventJsonText } from './webhook-signature.js';

/** How long a delivery may hold an event before another may take it over (a crashed process). */
export const PROCESSING_LEASE_SECONDS = 120;

export interface EventReplayFilter {
  /** Only failed events (the default when nothing else narrows the selection). */
  failed?: boolean;
  since?: Date;
  until?: Date;
  type?: string;
  id?: string;
  account?: string;
}

const PROCESSED_SET = `"status" = 'processed', "processed_at" = now(), "processing_started_at" = NULL,
  "processing_owner" = NULL, "last_error" = NULL, "updated_at" = now()`;

/** The columns a claim answers: the stored row without its payload. */
const CLAIMED_COLUMNS = `"status", "attempts", "last_error", "received_at", "processed_at", "synced_at",
  "processing_started_at", "processing_owner", "updated_at"`;

interface ClaimedRow {
  status: StripeEventStatus;
  attempts: number;
  last_error: string | null;
  received_at: Date | string;
  processed_at: Date | string | null;
  synced_at: Date | string | null;
  processing_started_at: Date | string | null;
  processing_owner: string | null;
  updated_at: Date | string;
}

function dateOf(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

/** The stored event as a claim answered it, with the verified event in hand as its payload. */
function recordOf(row: ClaimedRow, event: Stripe.Event): StripeEvent {
  return Object.assign(new StripeEvent(), {
    id: event.id,
    type: event.type,
    accountId: event.account ?? null,
    livemode: event.livemode,
    apiVersion: event.api_version ?? null,
    stripeCreatedAt: new Date(event.created * 1000),
    payload: event as unknown as Record<string, unknown>,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    receivedAt: new Date(row.received_at),
    processedAt: dateOf(row.processed_at),
    syncedAt: dateOf(row.synced_at),
    processingStartedAt: dateOf(row.processing_started_at),
    processingOwner: row.processing_owner,
    updatedAt: new Date(row.updated_at),
  });
}

/** The queries of the event store. */
@Injectable()
export class StripeEventsRepository {
  constructor(
    @InjectRepository(StripeEvent) private readonly events: Repository<StripeEvent>,
    @InjectRepository(EventProcessingError)
    private readonly errors: Repository<EventProcessingError>,
  ) {}

  /** Inserts a verified event once; a second delivery finds the first row. */
  async insertOnce(event: Stripe.Event): Promise<void> {
    await this.events
      .createQueryBuilder()
      .insert()
      .into(StripeEvent)
      .values({
        id: event.id,
        type: event.type,
        accountId: event.account ?? null,
        livemode: event.livemode,
        apiVersion: event.api_version ?? null,
        stripeCreatedAt: new Date(event.created * 1000),
        payload: event as never,
        status: 'pending',
      })
      .orIgnore()
      .execute();
  }

  /**
   * Stores and claims several deliveries in one statement (a claim of an event already stored is taken when it is
   * not processed and no live lease holds it) (rows in id order; a repeated id counts once, for
   * its first owner). Answers the claimed rows by event id; an event missing from the answer is processed or
   * held by another delivery.
   *
   * A delivery marked `done` is written, when claimed, in its final state (`processed`, synced, no claim held):
   * only for a claim made inside the transaction that also writes its sync and commits only when that sync
   * succeeded, with no listener to run after it. One row version instead of a claim and then a status write.
   */
  async insertAndClaimMany(
    deliveries: { event: Stripe.Event; owner: string; done?: boolean }[],
    manager: EntityManager = this.events.manager,
  ): Promise<Map<string, { record: StripeEvent; owner: string }>> {
    const firsts = new Map<string, { event: Stripe.Event; owner: string; done?: boolean }>();
    for (const delivery of deliveries)
      if (!firsts.has(delivery.event.id)) firsts.set(delivery.event.id, delivery);
    const unique = [...firsts.values()].sort((a, b) => (a.event.id < b.event.id ? -1 : 1));
    const parameters: unknown[] = [];
    const tuples = unique.map(({ event, owner, done }) => {
      const base = parameters.length;
      parameters.push(
        event.id,
        event.type,
        event.account ?? null,
        event.livemode,
        event.api_version ?? null,
        new Date(event.created * 1000),
        eventJsonText(event),
      );
      const p = (n: number) => `$${base + n}`;
      const state = done
        ? `'processed', 1, NULL, NULL, now(), now()`
        : `'pending', 1, now(), $${parameters.push(owner)}, NULL, NULL`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::timestamptz, ${p(7)}::jsonb, ${state})`;
    });
    const rows = rowsOf<ClaimedRow & { id: string }>(
      await manager.query(
        `INSERT INTO "stripe_events" AS "e" ("id", "type", "account_id", "livemode", "api_version",
           "stripe_created_at", "payload", "status", "attempts", "processing_started_at", "processing_owner",
           "processed_at", "synced_at")
         VALUES ${tuples.join(', ')}
         ON CONFLICT ("id") DO UPDATE SET "processing_started_at" = EXCLUDED."processing_started_at",
           "processing_owner" = EXCLUDED."processing_owner", "attempts" = "e"."attempts" + 1, "updated_at" = now(),
           "status" = CASE WHEN EXCLUDED."status" = 'processed' THEN EXCLUDED."status" ELSE "e"."status" END,
           "processed_at" = COALESCE(EXCLUDED."processed_at", "e"."processed_at"),
           "synced_at" = COALESCE(EXCLUDED."synced_at", "e"."synced_at"),
           "last_error" = CASE WHEN EXCLUDED."status" = 'processed' THEN NULL ELSE "e"."last_error" END
         WHERE "e"."status" <> 'processed' AND ("e"."processing_started_at" IS NULL
           OR "e"."processing_started_at" < now() - interval '${PROCESSING_LEASE_SECONDS} seconds')
         RETURNING "id", ${CLAIMED_COLUMNS}`,
        parameters,
      ),
    );
    const byId = new Map(unique.map((d) => [d.event.id, d]));
    const claimed = new Map<string, { record: StripeEvent; owner: string }>();
    for (const row of rows) {
      const delivery = byId.get(row.id);
      if (delivery)
        claimed.set(row.id, { record: recordOf(row, delivery.event), owner: delivery.owner });
    }
    return claimed;
  }

  find(id: string): Promise<StripeEvent | null> {
    return this.events.findOneBy({ id });
  }

  /**
   * Takes the event for processing under `owner` (a token of the delivery): only one caller gets it (not
   * processed, and no live lease held by another delivery; an expired lease is taken over). Counts the
   * attempt.
   */
  async claim(
    id: string,
    owner: string,
    options: { includeProcessed?: boolean } = {},
  ): Promise<boolean> {
    const query = this.events
      .createQueryBuilder()
      .update(StripeEvent)
      .set({
        processingStartedAt: () => 'now()',
        processingOwner: owner,
        attempts: () => 'attempts + 1',
      })
      .where('id = :id', { id })
      .andWhere(
        new Brackets((q) =>
          q
            .where('processing_started_at IS NULL')
            .orWhere(
              `processing_started_at < now() - interval '${PROCESSING_LEASE_SECONDS} seconds'`,
            ),
        ),
      );
    if (!options.includeProcessed) query.andWhere("status <> 'processed'");
    const result = await query.execute();
    return (result.affected ?? 0) > 0;
  }

  /** Extends the owner's lease; false when the claim is no longer its own. */
  async renew(id: string, owner: string): Promise<boolean> {
    return this.touched(
      this.events.manager,
      `UPDATE "stripe_events" SET "processing_started_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "processing_owner" = $2 RETURNING "id"`,
      [id, owner],
    );
  }

  /** Records, in the sync's own transaction, that the sync committed; false when the claim is lost. */
  async recordSync(manager: EntityManager, id: string, owner: string): Promise<boolean> {
    return this.touched(
      manager,
      `UPDATE "stripe_events" SET "synced_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "processing_owner" = $2 RETURNING "id"`,
      [id, owner],
    );
  }

  /**
   * Records the sync and completes the owner's claim in one write (`manager`: the sync's transaction, when
   * no listener runs after it); false when the claim is lost.
   */
  async recordSyncedAndProcessed(
    manager: EntityManager,
    id: string,
    owner: string,
  ): Promise<boolean> {
    return this.touched(
      manager,
      `UPDATE "stripe_events" SET "synced_at" = now(), ${PROCESSED_SET}
       WHERE "id" = $1 AND "processing_owner" = $2 RETURNING "id"`,
      [id, owner],
    );
  }

  /**
   * `recordSync` / `recordSyncedAndProcessed` of several claimed events in one write (`processed`: no
   * listener runs after the commit, the claim completes with it). Answers how many claims were still held.
   */
  async recordSyncMany(
    manager: EntityManager,
    claims: { id: string; owner: string; processed: boolean }[],
  ): Promise<number> {
    // In id order, as the claims lock them (no two transactions wait on each other's events in a cycle).
    const sorted = [...claims].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const when = (then: string, otherwise: string) =>
      `CASE WHEN "c"."done" THEN ${then} ELSE "e"."${otherwise}" END`;
    const rows = rowsOf(
      await manager.query(
        `UPDATE "stripe_events" AS "e" SET "synced_at" = now(), "updated_at" = now(),
           "status" = ${when(`'processed'`, 'status')}, "processed_at" = ${when('now()', 'processed_at')},
           "processing_started_at" = ${when('NULL', 'processing_started_at')},
           "processing_owner" = ${when('NULL', 'processing_owner')}, "last_error" = ${when('NULL', 'last_error')}
         FROM unnest($1::text[], $2::text[], $3::boolean[]) AS "c"("id", "owner", "done")
         WHERE "e"."id" = "c"."id" AND "e"."processing_owner" = "c"."owner"
         RETURNING "e"."id"`,
        [sorted.map((c) => c.id), sorted.map((c) => c.owner), sorted.map((c) => c.processed)],
      ),
    );
    return rows.length;
  }

  /** Completes the owner's claim; false when another delivery holds it now. */
  async markProcessed(id: string, owner: string): Promise<boolean> {
    return this.touched(
      this.events.manager,
      `UPDATE "stripe_events" SET ${PROCESSED_SET}
       WHERE "id" = $1 AND "processing_owner" = $2 RETURNING "id"`,
      [id, owner],
    );
  }

  private async touched(
    manager: EntityManager,
    sql: string,
    parameters: unknown[],
  ): Promise<boolean> {
    return rowsOf(await manager.query(sql, parameters)).length > 0;
  }

  /**
   * Records the owner's failure and releases its claim. An event processed before (a replay that failed)
   * stays processed: its error is kept beside it.
   */
  async markFailed(id: string, owner: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? null) : null;
    await this.events.manager.transaction(async (manager) => {
      const current = await manager.findOneBy(StripeEvent, { id, processingOwner: owner });
      if (!current) return;
      await manager.insert(EventProcessingError, {
        eventId: id,
        attempt: current.attempts,
        message,
        stack,
      });
      await manager.update(
        StripeEvent,
        { id, processingOwner: owner },
        {
          status: current.status === 'processed' ? 'processed' : 'failed',
          lastError: message,
          processingStartedAt: null,
          processingOwner: null,
        },
      );
    });
  }

  /** Events to replay, oldest first. */
  selectForReplay(filter: EventReplayFilter, limit = 10_000): Promise<StripeEvent[]> {
    const query = this.events
      .createQueryBuilder('e')
      .orderBy('e.stripe_created_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .take(limit);
    const narrowed = filter.id || filter.type || filter.account || filter.since || filter.until;
    if (filter.failed || !narrowed) query.andWhere("e.status = 'failed'");
    if (filter.id) query.andWhere('e.id = :id', { id: filter.id });
    if (filter.type) query.andWhere('e.type = :type', { type: filter.type });
    if (filter.account) query.andWhere('e.account_id = :account', { account: filter.account });
    if (filter.since) query.andWhere('e.stripe_created_at >= :since', { since: filter.since });
    if (filter.until) query.andWhere('e.stripe_created_at <= :until', { until: filter.until });
    return query.getMany();
  }
}
