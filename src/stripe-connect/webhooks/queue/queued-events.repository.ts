/**
 * The statements of queued mode on the event store (`stripe_events`): many events per statement, so a batch
 * of deliveries or of jobs costs a few round trips. The status stays true for the back office: `pending`
 * until the sync and every listener have run, `failed` with its error while one of them fails, `processed`.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Account } from '../../accounts/account.entity.js';
import { rowsOf } from '../../common/mirror-writer.js';
import { StripeEvent } from '../stripe-event.entity.js';
import { PROCESSING_LEASE_SECONDS } from '../stripe-events.repository.js';

/** A connection that runs one statement (a `pg` client inside a transaction, or the pool). */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** An event claimed for its sync, with its payload. */
export interface ClaimedEvent {
  id: string;
  event: Stripe.Event;
}

/** The first key of the two-key advisory locks that keep two sync batches off one account at a time. */
const WORK_LOCK_SPACE = 17976;

const CLAIMABLE = `"status" <> 'processed' AND "synced_at" IS NULL AND ("processing_started_at" IS NULL
  OR "processing_started_at" < now() - interval '${PROCESSING_LEASE_SECONDS} seconds')`;

@Injectable()
export class QueuedEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores verified events (`pending`) in one statement, in id order (two batches holding one id never wait
   * on each other in opposite orders); answers the ids now waiting for their sync: the new ones, and stored
   * ones whose sync failed before (a redelivery puts them back on the work list at once, as Stripe's
   * redelivery retries an inline event). `events` must not repeat an id.
   */
  async insertMany(client: SqlClient, events: Stripe.Event[]): Promise<Set<string>> {
    const sorted = [...events].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // One JSON array of the events: PostgreSQL parses it once; no per-element escaping of a text array.
    const { rows } = await client.query(
      `INSERT INTO "stripe_events" AS "e" ("id", "type", "account_id", "livemode", "api_version",
         "stripe_created_at", "payload", "status")
       SELECT "p"->>'id', "p"->>'type', "p"->>'account', ("p"->>'livemode')::boolean, "p"->>'api_version',
         to_timestamp(("p"->>'created')::bigint), "p", 'pending'
       FROM jsonb_array_elements($1::jsonb) AS "p"
       ON CONFLICT ("id") DO UPDATE SET "status" = 'pending', "updated_at" = now()
       WHERE "e"."status" = 'failed' AND "e"."synced_at" IS NULL
       RETURNING "id"`,
      [JSON.stringify(sorted)],
    );
    return new Set(rows.map((row) => row.id as string));
  }

  /**
   * Claims up to `limit` events of the work list under `owner`, oldest first (stored, `pending`, not synced,
   * no live claim of another worker, delivery or replay; none of the accounts in `skipAccounts`, which this
   * instance's other workers hold), counting the attempt. Rows another worker is claiming at this moment are
   * skipped, so concurrent workers on any instance take disjoint events.
   */
  async claimWork(owner: string, limit: number, skipAccounts: string[]): Promise<ClaimedEvent[]> {
    const rows = rowsOf<{ id: string; payload: Stripe.Event }>(
      await this.dataSource.query(
        `UPDATE "stripe_events" SET "processing_owner" = $1, "processing_started_at" = now(),
           "attempts" = "attempts" + 1, "updated_at" = now()
         WHERE "id" IN (
           SELECT "id" FROM "stripe_events"
           WHERE "status" = 'pending' AND "synced_at" IS NULL AND ("processing_started_at" IS NULL
             OR "processing_started_at" < now() - interval '${PROCESSING_LEASE_SECONDS} seconds')
             AND ("account_id" IS NULL OR "account_id" <> ALL($3::varchar[]))
           ORDER BY "received_at", "id" LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING "id", "payload"`,
        [owner, limit, skipAccounts],
      ),
    );
    return rows.map((row) => ({ id: row.id, event: row.payload }));
  }

  /** Extends the owner's claims on events it still holds (a long batch). */
  async renewClaims(ids: string[], owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "stripe_events" SET "processing_started_at" = now()
       WHERE "id" = ANY($1::varchar[]) AND "processing_owner" = $2`,
      [ids, owner],
    );
  }

  /**
   * Gives claimed events back to the work list (in the caller's transaction): another worker held their
   * object; the attempt is not counted.
   */
  async release(manager: EntityManager, ids: string[], owner: string): Promise<void> {
    if (!ids.length) return;
    await manager.query(
      `UPDATE "stripe_events" SET "processing_owner" = NULL, "processing_started_at" = NULL,
         "attempts" = greatest("attempts" - 1, 0), "updated_at" = now()
       WHERE "id" = ANY($1::varchar[]) AND "processing_owner" = $2`,
      [ids, owner],
    );
  }

  /**
   * In the caller's transaction, takes the transaction-scoped advisory lock of each key that no other
   * transaction holds (without waiting); answers the keys taken. Keys are hashed into their own lock space.
   */
  async tryLockKeys(manager: EntityManager, keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = rowsOf<{ key: string; taken: boolean }>(
      await manager.query(
        `SELECT "k" AS "key", pg_try_advisory_xact_lock(${WORK_LOCK_SPACE}, hashtext("k")) AS "taken"
         FROM unnest($1::text[]) AS "k"`,
        [keys],
      ),
    );
    return new Set(rows.filter((row) => row.taken).map((row) => row.key));
  }

  /**
   * Claims events for their sync under `owner` (not processed, not synced yet, no live claim of another
   * delivery or a replay), counting the attempt; answers them with their payloads.
   */
  async claimForSync(ids: string[], owner: string): Promise<ClaimedEvent[]> {
    const rows = rowsOf<{ id: string; payload: Stripe.Event }>(
      await this.dataSource.query(
        `UPDATE "stripe_events" SET "processing_owner" = $2, "processing_started_at" = now(),
           "attempts" = "attempts" + 1, "updated_at" = now()
         WHERE "id" = ANY($1::varchar[]) AND ${CLAIMABLE}
         RETURNING "id", "payload"`,
        [ids, owner],
      ),
    );
    return rows.map((row) => ({ id: row.id, event: row.payload }));
  }

  /** Of events that could not be claimed, those whose sync is done (or that are gone): their jobs are done. */
  async syncSettled(ids: string[]): Promise<Set<string>> {
    const rows = rowsOf<{ id: string; settled: boolean }>(
      await this.dataSource.query(
        `SELECT "id", ("status" = 'processed' OR "synced_at" IS NOT NULL) AS "settled"
         FROM "stripe_events" WHERE "id" = ANY($1::varchar[])`,
        [ids],
      ),
    );
    const stored = new Map(rows.map((row) => [row.id, row.settled]));
    return new Set(ids.filter((id) => stored.get(id) !== false));
  }

  /**
   * In the sync's transaction: the sync is recorded on each event, the claim released, and the listeners
   * still to run are noted (none: the event is processed). Answers how many events the owner still held.
   */
  async recordSynced(
    manager: EntityManager,
    owner: string,
    synced: { id: string; listeners: string[] }[],
  ): Promise<number> {
    const rows = rowsOf(
      await manager.query(
        `UPDATE "stripe_events" AS "e" SET "synced_at" = now(), "pending_listeners" = "d"."listeners",
           "status" = CASE WHEN cardinality("d"."listeners") = 0 THEN 'processed' ELSE 'pending' END,
           "processed_at" = CASE WHEN cardinality("d"."listeners") = 0 THEN clock_timestamp() ELSE NULL END,
           "last_error" = NULL, "processing_owner" = NULL, "processing_started_at" = NULL,
           "updated_at" = now()
         FROM jsonb_to_recordset($1::jsonb) AS "d"("id" text, "listeners" text[])
         WHERE "e"."id" = "d"."id" AND "e"."processing_owner" = $2
         RETURNING "e"."id"`,
        [JSON.stringify(synced), owner],
      ),
    );
    return rows.length;
  }

  /** The stored events (payload included) and their connected accounts, for listeners. */
  async forListeners(
    ids: string[],
  ): Promise<{ events: Map<string, StripeEvent>; accounts: Map<string, Account> }> {
    const events = await this.dataSource.getRepository(StripeEvent).findBy({ id: In(ids) });
    const accountIds = [...new Set(events.flatMap((e) => (e.accountId ? [e.accountId] : [])))];
    const accounts = accountIds.length
      ? await this.dataSource.getRepository(Account).findBy({ id: In(accountIds) })
      : [];
    return {
      events: new Map(events.map((e) => [e.id, e])),
      accounts: new Map(accounts.map((a) => [a.id, a])),
    };
  }

  /**
   * Listeners that ran: each leaves its event's pending list; an event with none left is processed (its
   * last error, from a listener that failed before and has now run, cleared).
   */
  async listenersDone(
    manager: EntityManager,
    done: { id: string; listener: string }[],
  ): Promise<void> {
    if (!done.length) return;
    // What remains is computed from the row being updated (the version a concurrent batch of the same event's
    // other listeners left), never from a snapshot read beside it: two batches would each write back the
    // listener the other just removed.
    const remaining = `ARRAY(SELECT "l" FROM unnest("e"."pending_listeners") AS "l" WHERE "l" <> ALL("d"."listeners"))`;
    await manager.query(
      `UPDATE "stripe_events" AS "e" SET
         "pending_listeners" = ${remaining},
         "status" = CASE WHEN cardinality(${remaining}) = 0 THEN 'processed' ELSE "e"."status" END,
         "processed_at" = CASE WHEN cardinality(${remaining}) = 0 THEN clock_timestamp() ELSE "e"."processed_at" END,
         "last_error" = CASE WHEN cardinality(${remaining}) = 0 THEN NULL ELSE "e"."last_error" END,
         "updated_at" = now()
       FROM (SELECT "id", array_agg("listener") AS "listeners"
             FROM jsonb_to_recordset($1::jsonb) AS "x"("id" text, "listener" text) GROUP BY "id") AS "d"
       WHERE "e"."id" = "d"."id" AND "e"."pending_listeners" IS NOT NULL`,
      [JSON.stringify(done)],
    );
  }

  /** A listener failed: the event is failed (unless processed) with the error kept beside it. */
  async listenerFailed(id: string, listener: string, error: unknown): Promise<void> {
    const message = `${listener}: ${error instanceof Error ? error.message : String(error)}`;
    const stack = error instanceof Error ? (error.stack ?? null) : null;
    await this.dataSource.query(
      `WITH "e" AS (
         UPDATE "stripe_events" SET "status" = CASE WHEN "status" = 'processed' THEN 'processed' ELSE 'failed' END,
           "last_error" = $2, "updated_at" = now()
         WHERE "id" = $1 RETURNING "attempts")
       INSERT INTO "stripe_event_processing_errors" ("event_id", "attempt", "message", "stack")
       SELECT $1, "attempts", $2, $3 FROM "e"`,
      [id, message, stack],
    );
  }
}
