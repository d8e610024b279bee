/**
 * The sync worker's batch. Its events come from the work list (the stored events still to sync, claimed
 * oldest first in one statement, payloads included) or, for an event whose sync failed, from its retry job
 * on pg-boss. The batch's mirror operations are coalesced (several snapshots of one object: the newest) and
 * written with the mirror's guarded multi-row writes (the inline group commit's `applyBatch`; the
 * one-at-a-time writes when the batch needs a tie settled, an account fetched or a race retried) in one
 * transaction that also records every event's sync, enqueues one job per (event, listener) and completes
 * the retry jobs, so the batch's effects commit together or not at all. A work-list batch first takes a
 * try-lock per account: events of an account another batch (of any instance) is writing go back to the work
 * list instead of waiting on its row locks. A batch that fails is processed again one event at a time: an
 * event that still fails is kept `failed` with its error and handed to pg-boss, which retries it with
 * backoff, then dead-letters it.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../common/mirror-writer.js';
import { EventSyncService } from '../event-sync.service.js';
import { MirrorService } from '../mirror.service.js';
import { StripeEventsRepository } from '../stripe-events.repository.js';
import { STRIPE_CONNECT_OPTIONS } from '../../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../../stripe-connect.options.js';
import { orderedJobId } from './job-ids.js';
import type { QueueEngine, QueueExecutor, QueueJob } from './pg-boss.loader.js';
import { QueuedEventsRepository, type ClaimedEvent } from './queued-events.repository.js';
import { coalesceOps } from './sync-coalescing.js';
import { StripeListenersRegistry } from './stripe-listeners.registry.js';
import {
  DEAD_LETTER_QUEUE,
  LISTENERS_QUEUE,
  SYNC_QUEUE,
  type ListenerJobData,
  type SyncJobData,
} from './queue-names.js';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The object an event is about, for keeping each object's events in order. */
export function objectKeyOfEvent(event: Stripe.Event): string {
  const object = event.data.object as { id?: string };
  return `${event.account ?? 'platform'}:${object.id ?? event.id}`;
}

/**
 * The key that keeps two batches off one event's rows: its connected account (every object of a connected
 * account is written under it), or the object itself for a platform event.
 */
function lockKeyOf(event: Stripe.Event): string {
  return event.account ? `account:${event.account}` : objectKeyOfEvent(event);
}

/** A work-list batch has no jobs: its events' claims are their own. */
const NO_JOBS = new Map<string, string[]>();

/** pg-boss's statements inside one of TypeORM's transactions. */
function executorOfManager(manager: EntityManager): QueueExecutor {
  return {
    executeSql: async (text, values) => ({
      rows: rowsOf<Record<string, unknown>>(await manager.query(text, values)),
    }),
  };
}

@Injectable()
export class QueuedSyncProcessor {
  private readonly logger = new Logger(QueuedSyncProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queued: QueuedEventsRepository,
    private readonly events: StripeEventsRepository,
    private readonly sync: EventSyncService,
    private readonly mirror: MirrorService,
    private readonly listeners: StripeListenersRegistry,
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
  ) {}

  /**
   * Syncs events claimed from the work list under `owner`; never throws. Answers how many it got through
   * (synced, or failed and handed to pg-boss): the rest went back to the work list (another batch held their
   * accounts).
   */
  async handleClaimed(
    engine: QueueEngine,
    claimed: ClaimedEvent[],
    owner: string,
  ): Promise<number> {
    try {
      const { dropped, deferred } = await this.syncTogether(engine, claimed, owner, NO_JOBS, true);
      const synced = claimed.length - deferred;
      if (synced)
        this.logger.log(
          `synced ${synced} event(s)${dropped ? `, ${dropped} older snapshot(s) coalesced` : ''}` +
            (deferred ? `; ${deferred} left to the batch that holds their account` : ''),
        );
      return synced;
    } catch (error) {
      if (claimed.length > 1)
        this.logger.warn(`a batch of ${claimed.length} failed (${describe(error)}): one by one`);
      for (const record of claimed) await this.syncAlone(engine, record, owner, NO_JOBS);
      return claimed.length;
    }
  }

  /** Handles a batch of retry jobs (one event each); never throws (every job ends completed, failed, or active if the database is gone). */
  async handle(engine: QueueEngine, jobs: QueueJob<SyncJobData>[]): Promise<void> {
    const jobsOf = new Map<string, string[]>();
    for (const job of jobs)
      jobsOf.set(job.data.event, [...(jobsOf.get(job.data.event) ?? []), job.id]);
    const ids = [...jobsOf.keys()];
    const owner = randomUUID();
    try {
      const claimed = await this.queued.claimForSync(ids, owner);
      const unclaimed = ids.filter((id) => !claimed.some((c) => c.id === id));
      if (unclaimed.length) await this.settleUnclaimed(engine, unclaimed, jobsOf);
      if (!claimed.length) return;
      try {
        const { dropped } = await this.syncTogether(engine, claimed, owner, jobsOf, false);
        this.logger.log(
          `synced ${claimed.length} event(s)${dropped ? `, ${dropped} older snapshot(s) coalesced` : ''}`,
        );
      } catch (error) {
        if (claimed.length > 1)
          this.logger.warn(`a batch of ${claimed.length} failed (${describe(error)}): one by one`);
        for (const record of claimed) await this.syncAlone(engine, record, owner, jobsOf);
      }
    } catch (error) {
      this.logger.error(`sync batch: ${describe(error)}`);
      await engine
        .fail(
          SYNC_QUEUE,
          jobs.map((j) => j.id),
          { message: describe(error) },
        )
        .catch(() => undefined);
    }
  }

  /** Events that could not be claimed: done already (jobs complete), or held by a replay (retried later). */
  private async settleUnclaimed(
    engine: QueueEngine,
    ids: string[],
    jobsOf: Map<string, string[]>,
  ): Promise<void> {
    const settled = await this.queued.syncSettled(ids);
    const done = ids.filter((id) => settled.has(id)).flatMap((id) => jobsOf.get(id)!);
    const held = ids.filter((id) => !settled.has(id)).flatMap((id) => jobsOf.get(id)!);
    if (done.length) await engine.complete(SYNC_QUEUE, done, null);
    if (held.length)
      await engine.fail(SYNC_QUEUE, held, { message: 'held by another delivery or a replay' });
  }

  /**
   * Syncs claimed events in one transaction. `partition`: accounts whose try-lock another transaction holds
   * are left out and their events released to the work list (counted in `deferred`).
   */
  private async syncTogether(
    engine: QueueEngine,
    claimed: ClaimedEvent[],
    owner: string,
    jobsOf: Map<string, string[]>,
    partition: boolean,
  ): Promise<{ dropped: number; deferred: number }> {
    // Stripe's mode is the event's; a batch mixing test and live events writes each mode apart.
    const modes = [...new Set(claimed.map((c) => c.event.livemode))];
    if (modes.length > 1) {
      const total = { dropped: 0, deferred: 0 };
      for (const mode of modes) {
        const part = await this.syncTogether(
          engine,
          claimed.filter((c) => c.event.livemode === mode),
          owner,
          jobsOf,
          partition,
        );
        total.dropped += part.dropped;
        total.deferred += part.deferred;
      }
      return total;
    }
    const ordered = [...claimed].sort(
      (a, b) => a.event.created - b.event.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const coalesced = coalesceOps(
      ordered.map((c) => ({
        at: new Date(c.event.created * 1000),
        ops: this.sync.opsFor(c.event),
        key: lockKeyOf(c.event),
      })),
    );
    // The accounts left to another batch (set inside the transaction by the try-locks; none when retried).
    let held = new Set<string>();
    const within = async (manager: EntityManager) => {
      const kept = ordered.filter((c) => !held.has(lockKeyOf(c.event)));
      await this.queued.release(
        manager,
        ordered.filter((c) => held.has(lockKeyOf(c.event))).map((c) => c.id),
        owner,
      );
      await this.recordBatch(manager, engine, kept, owner, jobsOf);
    };
    const deferredCount = () => ordered.filter((c) => held.has(lockKeyOf(c.event))).length;
    if (!coalesced.dated.length) {
      await this.dataSource.transaction(within);
      return { dropped: coalesced.dropped, deferred: 0 };
    }
    const entries = coalesced.dated.map(({ op, at }) => ({ ops: [op], at, livemode: modes[0] }));
    const first = async (manager: EntityManager): Promise<boolean[]> => {
      const keys = [...new Set(ordered.map((c) => lockKeyOf(c.event)))];
      const taken = await this.queued.tryLockKeys(manager, keys);
      held = new Set(keys.filter((key) => !taken.has(key)));
      return coalesced.dated.map((d) => !held.has(d.key!));
    };
    try {
      // The group commit's multi-row writes (one statement per family for the batch)...
      await this.mirror.applyBatch(entries, within, partition ? { first } : {});
      return { dropped: coalesced.dropped, deferred: deferredCount() };
    } catch (error) {
      // ...unless only Stripe can settle the batch (a same-second tie), an account must be fetched first,
      // or a write raced another: then the one-at-a-time writes, which handle each of those (waiting for
      // any row another batch holds).
      this.logger.debug(`batch writes of ${ordered.length} event(s): ${describe(error)}`);
      held = new Set();
      await this.mirror.applyDated(coalesced.dated, { livemode: modes[0], within });
      return { dropped: coalesced.dropped, deferred: 0 };
    }
  }

  /** In the sync's transaction: events recorded, listener jobs enqueued (in event order), sync jobs completed. */
  private async recordBatch(
    manager: EntityManager,
    engine: QueueEngine,
    ordered: ClaimedEvent[],
    owner: string,
    jobsOf: Map<string, string[]>,
  ): Promise<void> {
    const synced = ordered.map((c) => ({
      id: c.id,
      listeners: this.listeners.listenersOf(c.event.type),
    }));
    const held = await this.queued.recordSynced(manager, owner, synced);
    if (held !== synced.length)
      throw new Error(
        `the processing claim of ${synced.length - held} event(s) was lost to a replay`,
      );
    const db = executorOfManager(manager);
    const listenerJobs = synced.flatMap(({ id, listeners }) =>
      listeners.map((listener) => ({
        id: orderedJobId(),
        name: LISTENERS_QUEUE,
        data: { event: id, listener } satisfies ListenerJobData,
      })),
    );
    if (listenerJobs.length) await engine.insert(listenerJobs, { db });
    const jobs = ordered.flatMap((c) => jobsOf.get(c.id) ?? []);
    if (jobs.length) await engine.complete(SYNC_QUEUE, jobs, null, { db });
  }

  private async syncAlone(
    engine: QueueEngine,
    claimed: ClaimedEvent,
    owner: string,
    jobsOf: Map<string, string[]>,
  ): Promise<void> {
    try {
      await this.syncTogether(engine, [claimed], owner, jobsOf, false);
    } catch (error) {
      this.logger.warn(`${claimed.id} ${claimed.event.type}: sync failed: ${describe(error)}`);
      await this.events.markFailed(claimed.id, owner, error);
      const jobs = jobsOf.get(claimed.id);
      if (jobs) await engine.fail(SYNC_QUEUE, jobs, { message: describe(error) });
      else await this.retryLater(engine, claimed.id, error);
    }
  }

  /**
   * A work-list event whose sync failed becomes a pg-boss job: retried `retryLimit - 1` more times with
   * backoff (its first attempt was this one), then dead-lettered; with `retryLimit` 0, dead-lettered now.
   * (Should this insert fail too, the event stays `failed`: Stripe's redelivery or a replay takes it again.)
   */
  private async retryLater(engine: QueueEngine, id: string, error: unknown): Promise<void> {
    const settings = this.options.webhookProcessing;
    if (settings.mode !== 'queued') return;
    const data = { event: id } satisfies SyncJobData;
    await engine
      .insert([
        settings.retryLimit > 0
          ? {
              id: orderedJobId(),
              name: SYNC_QUEUE,
              data,
              retryLimit: settings.retryLimit - 1,
              startAfter: String(settings.retryDelaySeconds),
            }
          : { id: orderedJobId(), name: DEAD_LETTER_QUEUE, data },
      ])
      .catch((insert: unknown) =>
        this.logger.error(
          `${id}: its retry could not be enqueued: ${describe(insert)} (after ${describe(error)})`,
        ),
      );
  }
}
