/**
 * The sync worker's batch: claims the batch's events (one statement, payloads included), coalesces their
 * mirror operations (several snapshots of one object: the newest), writes them with the mirror's guarded
 * multi-row writes (the inline group commit's `applyBatch`; the one-at-a-time writes when the batch needs a
 * tie settled, an account fetched or a race retried) in one transaction that also records every event's sync, enqueues one job per (event, listener) and
 * completes the sync jobs, so the batch's effects commit together or not at all. A batch that fails is
 * processed again one event at a time: an event that still fails is kept `failed` with its error and its job
 * is retried with backoff, then dead-lettered.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../common/mirror-writer.js';
import { EventSyncService } from '../event-sync.service.js';
import { MirrorService } from '../mirror.service.js';
import { StripeEventsRepository } from '../stripe-events.repository.js';
import { orderedJobId } from './job-ids.js';
import type { QueueEngine, QueueExecutor, QueueJob } from './pg-boss.loader.js';
import { QueuedEventsRepository, type ClaimedEvent } from './queued-events.repository.js';
import { coalesceOps } from './sync-coalescing.js';
import { StripeListenersRegistry } from './stripe-listeners.registry.js';
import {
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
  ) {}

  /** Handles a batch of sync jobs; never throws (every job ends completed, failed, or active if the database is gone). */
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
        const dropped = await this.syncTogether(engine, claimed, owner, jobsOf);
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

  private async syncTogether(
    engine: QueueEngine,
    claimed: ClaimedEvent[],
    owner: string,
    jobsOf: Map<string, string[]>,
  ): Promise<number> {
    // Stripe's mode is the event's; a batch mixing test and live events writes each mode apart.
    const modes = [...new Set(claimed.map((c) => c.event.livemode))];
    let dropped = 0;
    if (modes.length > 1) {
      for (const mode of modes)
        dropped += await this.syncTogether(
          engine,
          claimed.filter((c) => c.event.livemode === mode),
          owner,
          jobsOf,
        );
      return dropped;
    }
    const ordered = [...claimed].sort(
      (a, b) => a.event.created - b.event.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const coalesced = coalesceOps(
      ordered.map((c) => ({
        at: new Date(c.event.created * 1000),
        ops: this.sync.opsFor(c.event),
      })),
    );
    const within = (manager: EntityManager) =>
      this.recordBatch(manager, engine, ordered, owner, jobsOf);
    if (!coalesced.dated.length) await this.dataSource.transaction(within);
    else {
      try {
        // The group commit's multi-row writes (one statement per family for the batch)...
        await this.mirror.applyBatch(
          coalesced.dated.map(({ op, at }) => ({ ops: [op], at, livemode: modes[0] })),
          within,
        );
      } catch (error) {
        // ...unless only Stripe can settle the batch (a same-second tie), an account must be fetched first,
        // or a write raced another: then the one-at-a-time writes, which handle each of those.
        this.logger.debug(`batch writes of ${ordered.length} event(s): ${describe(error)}`);
        await this.mirror.applyDated(coalesced.dated, { livemode: modes[0], within });
      }
    }
    return coalesced.dropped;
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
    await engine.complete(
      SYNC_QUEUE,
      ordered.flatMap((c) => jobsOf.get(c.id)!),
      null,
      { db },
    );
  }

  private async syncAlone(
    engine: QueueEngine,
    claimed: ClaimedEvent,
    owner: string,
    jobsOf: Map<string, string[]>,
  ): Promise<void> {
    try {
      await this.syncTogether(engine, [claimed], owner, jobsOf);
    } catch (error) {
      this.logger.warn(`${claimed.id} ${claimed.event.type}: sync failed: ${describe(error)}`);
      await this.events.markFailed(claimed.id, owner, error);
      await engine.fail(SYNC_QUEUE, jobsOf.get(claimed.id)!, { message: describe(error) });
    }
  }
}
