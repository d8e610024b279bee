import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { EventProcessingError } from './event-processing-error.entity.js';
import { StripeEvent } from './stripe-event.entity.js';

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
    const result = await this.events
      .createQueryBuilder()
      .update(StripeEvent)
      .set({ processingStartedAt: () => 'now()' })
      .where('id = :id AND processing_owner = :owner', { id, owner })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Records, in the sync's own transaction, that the sync committed; false when the claim is lost. */
  async recordSync(manager: EntityManager, id: string, owner: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(StripeEvent)
      .set({ syncedAt: () => 'now()' })
      .where('id = :id AND processing_owner = :owner', { id, owner })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Completes the owner's claim; false when another delivery holds it now. */
  async markProcessed(id: string, owner: string): Promise<boolean> {
    const result = await this.events
      .createQueryBuilder()
      .update(StripeEvent)
      .set({
        status: 'processed',
        processedAt: () => 'now()',
        processingStartedAt: null,
        processingOwner: null,
        lastError: null,
      })
      .where('id = :id AND processing_owner = :owner', { id, owner })
      .execute();
    return (result.affected ?? 0) > 0;
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
