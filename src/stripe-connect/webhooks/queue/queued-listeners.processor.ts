/**
 * The listener worker's batch: each job is one listener of one synced event, run alone, so a failing listener
 * is retried (with backoff, then dead-lettered) without running the others again. Within a batch, each
 * object's events reach listeners in Stripe's order (`created`, then id); different objects run side by side.
 * Listeners that ran leave their event's pending list in one statement, committed with their jobs' completion.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../common/mirror-writer.js';
import type { StripeConnectEvent } from '../on-stripe-event.decorator.js';
import type { StripeEvent } from '../stripe-event.entity.js';
import type { QueueEngine, QueueExecutor, QueueJob } from './pg-boss.loader.js';
import { QueuedEventsRepository } from './queued-events.repository.js';
import { objectKeyOfEvent } from './queued-sync.processor.js';
import { LISTENERS_QUEUE, type ListenerJobData } from './queue-names.js';
import { StripeListenersRegistry } from './stripe-listeners.registry.js';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function executorOfManager(manager: EntityManager): QueueExecutor {
  return {
    executeSql: async (text, values) => ({
      rows: rowsOf<Record<string, unknown>>(await manager.query(text, values)),
    }),
  };
}

type Job = QueueJob<ListenerJobData>;

@Injectable()
export class QueuedListenersProcessor {
  private readonly logger = new Logger(QueuedListenersProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queued: QueuedEventsRepository,
    private readonly listeners: StripeListenersRegistry,
  ) {}

  /** Handles a batch of listener jobs; never throws. */
  async handle(engine: QueueEngine, jobs: Job[]): Promise<void> {
    try {
      const { events, accounts } = await this.queued.forListeners([
        ...new Set(jobs.map((j) => j.data.event)),
      ]);
      const done: Job[] = [];
      const skipped: Job[] = [];
      const failed: { job: Job; error: unknown }[] = [];
      const groups = new Map<string, { job: Job; record: StripeEvent }[]>();
      for (const job of jobs) {
        const record = events.get(job.data.event);
        // Gone, processed (a replay ran every listener), or this listener ran already: nothing to do.
        if (
          !record ||
          record.status === 'processed' ||
          !record.pendingListeners?.includes(job.data.listener)
        ) {
          skipped.push(job);
          continue;
        }
        const key = objectKeyOfEvent(record.payload as unknown as Stripe.Event);
        groups.set(key, [...(groups.get(key) ?? []), { job, record }]);
      }
      await Promise.all(
        [...groups.values()].map(async (group) => {
          group.sort(
            (a, b) =>
              a.record.stripeCreatedAt.getTime() - b.record.stripeCreatedAt.getTime() ||
              (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0),
          );
          for (const { job, record } of group) {
            try {
              await this.run(job, record, accounts);
              done.push(job);
            } catch (error) {
              failed.push({ job, error });
            }
          }
        }),
      );
      if (done.length || skipped.length)
        await this.dataSource.transaction(async (manager) => {
          await this.queued.listenersDone(
            manager,
            done.map((j) => ({ id: j.data.event, listener: j.data.listener })),
          );
          await engine.complete(
            LISTENERS_QUEUE,
            [...done, ...skipped].map((j) => j.id),
            null,
            { db: executorOfManager(manager) },
          );
        });
      for (const { job, error } of failed) {
        this.logger.warn(
          `${job.data.event} ${job.data.listener}: listener failed: ${describe(error)}`,
        );
        await this.queued.listenerFailed(job.data.event, job.data.listener, error);
        await engine.fail(LISTENERS_QUEUE, [job.id], { message: describe(error) });
      }
    } catch (error) {
      this.logger.error(`listener batch: ${describe(error)}`);
      await engine
        .fail(
          LISTENERS_QUEUE,
          jobs.map((j) => j.id),
          { message: describe(error) },
        )
        .catch(() => undefined);
    }
  }

  private async run(job: Job, record: StripeEvent, accounts: Map<string, unknown>): Promise<void> {
    const listener = this.listeners.find(job.data.listener);
    if (!listener)
      throw new Error(
        `no listener ${job.data.listener} on this instance (removed, or not deployed here)`,
      );
    const event = record.payload as unknown as Stripe.Event;
    const payload: StripeConnectEvent = {
      event,
      object: event.data.object,
      record,
      account: (record.accountId
        ? accounts.get(record.accountId)
        : null) as StripeConnectEvent['account'],
    };
    await listener.run(payload);
  }
}
