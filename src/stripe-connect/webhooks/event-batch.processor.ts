/**
 * Processing of stored, claimed events (DESIGN.md section 6), one at a time or as a group commit: the built-in
 * sync of every event of a batch and its status write share one transaction, listeners run per event after
 * that commit, and an event whose listeners succeed is marked processed then. A batch that cannot commit as
 * one (a failing event, a tie to settle with Stripe, a lost claim) is rolled back and its events processed
 * one by one, so only the failing event ends `failed`. The webhook endpoints' group commit and a queue's
 * workers both hand their claimed events here.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { Account } from '../accounts/account.entity.js';
import { EventSyncService } from './event-sync.service.js';
import { BatchConflictError, MirrorService } from './mirror.service.js';
import { STRIPE_EVENT_PREFIX, type StripeConnectEvent } from './on-stripe-event.decorator.js';
import type { StripeEvent } from './stripe-event.entity.js';
import { PROCESSING_LEASE_SECONDS, StripeEventsRepository } from './stripe-events.repository.js';

/**
 * `processed`: done now; `duplicate`: done (queued mode: stored) before; `failed`: kept for redelivery; `busy`:
 * another delivery still holds it; `queued`: stored and enqueued for the workers (queued mode's answer).
 */
export type EventOutcome = 'processed' | 'duplicate' | 'failed' | 'busy' | 'queued';

/** A stored event claimed by `owner` (the token of the delivery or worker that holds it). */
export interface ClaimedEvent {
  record: StripeEvent;
  owner: string;
}

/** The claim is renewed this often while its holder works (a third of the lease). */
const LEASE_RENEWAL_MS = (PROCESSING_LEASE_SECONDS * 1000) / 3;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

@Injectable()
export class EventBatchProcessor {
  private readonly logger = new Logger('WebhooksService');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: StripeEventsRepository,
    private readonly sync: EventSyncService,
    private readonly mirror: MirrorService,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  /**
   * Processes claimed events as one group commit. Resolves once the batch's database work is done (committed,
   * or its events processed one by one), with one promise per event, in the order given, that resolves with
   * the event's outcome after its listeners ran. Never rejects for an event's failure: that event is recorded
   * `failed` for redelivery and its promise answers `failed`. An event given twice is processed once; its
   * repeat answers `duplicate` (or `failed`).
   */
  async processBatch(batch: ClaimedEvent[]): Promise<Promise<EventOutcome>[]> {
    const unique = [...new Map(batch.map((claimed) => [claimed.record.id, claimed])).values()];
    const outcomes = new Map<string, Promise<EventOutcome>>();
    for (const [id, outcome] of await this.processUnique(unique)) outcomes.set(id, outcome);
    const answered = new Set<string>();
    return batch.map(({ record }) => {
      const outcome = outcomes.get(record.id)!;
      if (!answered.has(record.id)) {
        answered.add(record.id);
        return outcome;
      }
      return outcome.then((first) => (first === 'processed' ? 'duplicate' : first));
    });
  }

  /**
   * Stores, claims and processes verified deliveries as one group commit whose claim is the first statement
   * of its transaction (one commit for the whole group). Resolves as `processBatch` does, with null for an
   * event not claimed (processed before, or held by another delivery). When the transaction cannot commit,
   * nothing of it stays: the events are then stored and claimed apart and processed one by one.
   */
  async receiveBatch(events: Stripe.Event[]): Promise<Promise<EventOutcome | null>[]> {
    const deliveries = [...new Map(events.map((event) => [event.id, event])).values()].map(
      (event) => ({ event, owner: randomUUID() }),
    );
    const listened = deliveries.map(({ event }) => this.listened(event.type));
    let claimed = new Map<string, ClaimedEvent>();
    try {
      await this.mirror.applyBatch(
        deliveries.map(({ event }) => ({
          ops: this.sync.opsFor(event),
          at: new Date(event.created * 1000),
          livemode: event.livemode,
        })),
        async (manager) => {
          // Events without listeners were claimed in their final state; the others record their sync.
          const claims = deliveries.flatMap(({ event }, index) => {
            const claim = listened[index] && claimed.get(event.id);
            return claim ? [{ id: event.id, owner: claim.owner, processed: false }] : [];
          });
          if (claims.length) await this.events.recordSyncMany(manager, claims);
        },
        {
          first: async (manager) => {
            // In this transaction, which commits only with every claimed event synced: an event no listener
            // waits for is stored processed at once (one row version), the others claimed for their listeners.
            claimed = await this.events.insertAndClaimMany(
              deliveries.map((delivery, index) => ({ ...delivery, done: !listened[index] })),
              manager,
            );
            return deliveries.map(({ event }) => claimed.has(event.id));
          },
        },
      );
    } catch (error) {
      if (deliveries.length > 1) {
        const why = `group of ${deliveries.length} rolled back, processing its events one by one: ${describe(error)}`;
        if (error instanceof BatchConflictError) this.logger.debug(why);
        else this.logger.warn(why);
      }
      const refused = new Map<string, Error>();
      claimed = await this.claimApart(deliveries, refused);
      const outcomes = new Map<string, Promise<EventOutcome>>();
      for (const claim of claimed.values())
        outcomes.set(claim.record.id, Promise.resolve(await this.processOne(claim)));
      return this.answersFor(events, outcomes, refused);
    }
    const answers = new Map<string, Promise<EventOutcome>>();
    deliveries.forEach(({ event }, index) => {
      const claim = claimed.get(event.id);
      if (claim)
        answers.set(
          event.id,
          listened[index] ? this.afterCommit(claim) : Promise.resolve('processed' as const),
        );
    });
    return this.answersFor(events, answers);
  }

  /**
   * Stores and claims the deliveries of a group that could not commit, outside any transaction; when they
   * cannot be stored together, each alone, so one the store refuses (a value PostgreSQL cannot hold) fails
   * only its own delivery (its error in `refused`), as queued ingest does.
   */
  private async claimApart(
    deliveries: { event: Stripe.Event; owner: string }[],
    refused: Map<string, Error>,
  ): Promise<Map<string, ClaimedEvent>> {
    try {
      return await this.events.insertAndClaimMany(deliveries);
    } catch (error) {
      if (deliveries.length === 1) {
        refused.set(deliveries[0].event.id, asError(error));
        return new Map();
      }
      this.logger.warn(
        `storing ${deliveries.length} deliveries together failed (${describe(error)}): storing each alone`,
      );
      const claimed = new Map<string, ClaimedEvent>();
      for (const delivery of deliveries) {
        try {
          for (const [id, claim] of await this.events.insertAndClaimMany([delivery]))
            claimed.set(id, claim);
        } catch (alone) {
          refused.set(delivery.event.id, asError(alone));
        }
      }
      return claimed;
    }
  }

  /**
   * One answer per event given, in order: null when not claimed, `duplicate` for a repeat of a processed one,
   * the store's error for one it refused.
   */
  private answersFor(
    events: Stripe.Event[],
    answers: Map<string, Promise<EventOutcome>>,
    refused = new Map<string, Error>(),
  ): Promise<EventOutcome | null>[] {
    const answered = new Set<string>();
    return events.map((event) => {
      if (refused.has(event.id)) return Promise.reject(refused.get(event.id)!);
      const answer = answers.get(event.id);
      if (!answer) return Promise.resolve(null);
      if (answered.has(event.id))
        return answer.then((first) => (first === 'processed' ? 'duplicate' : first));
      answered.add(event.id);
      return answer;
    });
  }

  private async processUnique(batch: ClaimedEvent[]): Promise<[string, Promise<EventOutcome>][]> {
    if (!batch.length) return [];
    const listened = batch.map(({ record }) => this.listened(record.type));
    const stop = this.renewing(batch);
    try {
      await this.mirror.applyBatch(
        batch.map(({ record }) => {
          const event = this.eventOf(record);
          return {
            ops: this.sync.opsFor(event),
            at: new Date(event.created * 1000),
            livemode: event.livemode,
          };
        }),
        async (manager) => {
          const held = await this.events.recordSyncMany(
            manager,
            batch.map(({ record, owner }, index) => ({
              id: record.id,
              owner,
              processed: !listened[index],
            })),
          );
          if (held < batch.length)
            throw new Error('a processing claim of the batch was lost to another delivery');
        },
      );
    } catch (error) {
      stop();
      // Nothing of the batch was written: its events go one by one, each failing (or not) on its own.
      if (batch.length > 1) {
        const why = `batch of ${batch.length} rolled back, processing its events one by one: ${describe(error)}`;
        if (error instanceof BatchConflictError) this.logger.debug(why);
        else this.logger.warn(why);
      }
      const outcomes: [string, Promise<EventOutcome>][] = [];
      for (const claimed of batch) {
        const outcome = await this.processOne(claimed);
        outcomes.push([claimed.record.id, Promise.resolve(outcome)]);
      }
      return outcomes;
    }
    stop();
    return batch.map((claimed, index) => [
      claimed.record.id,
      listened[index] ? this.afterCommit(claimed) : Promise.resolve('processed' as const),
    ]);
  }

  /** Listeners of an event whose sync committed, then its completion; a listener's failure fails the event. */
  private async afterCommit({ record, owner }: ClaimedEvent): Promise<EventOutcome> {
    const stop = this.renewing([{ record, owner }]);
    try {
      await this.dispatch(record);
      if (!(await this.events.markProcessed(record.id, owner)))
        this.logger.warn(`${record.id}: processed, but another delivery holds the claim now`);
      return 'processed';
    } catch (error) {
      return this.failed(record, owner, error);
    } finally {
      stop();
    }
  }

  /**
   * Processes one claimed event on its own: sync (recorded on the event, in the sync's transaction, while the
   * claim is held; ties settled with Stripe), then listeners. Only the owner completes or fails it; a claim
   * lost meanwhile (taken over after expiry) is left to its new owner.
   */
  async processOne({ record, owner }: ClaimedEvent): Promise<EventOutcome> {
    const stop = this.renewing([{ record, owner }]);
    try {
      const stored = record.payload ? record : await this.events.find(record.id);
      if (!stored) throw new Error(`Stored event ${record.id} disappeared`);
      const event = this.eventOf(stored);
      const listened = this.listened(event.type);
      await this.mirror.apply(this.sync.opsFor(event), new Date(event.created * 1000), {
        livemode: event.livemode,
        within: async (manager) => {
          const recorded = listened
            ? await this.events.recordSync(manager, stored.id, owner)
            : await this.events.recordSyncedAndProcessed(manager, stored.id, owner);
          if (!recorded)
            throw new Error(`${stored.id}: the processing claim was lost to another delivery`);
        },
      });
      if (!listened) return 'processed';
      await this.dispatch(stored);
      if (!(await this.events.markProcessed(stored.id, owner)))
        this.logger.warn(`${stored.id}: processed, but another delivery holds the claim now`);
      return 'processed';
    } catch (error) {
      return this.failed(record, owner, error);
    } finally {
      stop();
    }
  }

  private async failed(record: StripeEvent, owner: string, error: unknown): Promise<'failed'> {
    this.logger.warn(`${record.id} ${record.type}: processing failed: ${describe(error)}`);
    try {
      await this.events.markFailed(record.id, owner, error);
    } catch (recording) {
      // The claim stays until its lease expires: the event is claimable again then.
      this.logger.error(`${record.id}: recording the failure failed: ${describe(recording)}`);
    }
    return 'failed';
  }

  private eventOf(record: StripeEvent): Stripe.Event {
    return record.payload as unknown as Stripe.Event;
  }

  private listened(type: string): boolean {
    const emitter = this.emitter!;
    return (
      !!emitter.hasListeners(`${STRIPE_EVENT_PREFIX}.${type}`) || emitter.listenersAny().length > 0
    );
  }

  /** Runs the event's listeners (after its sync committed), with the local account it is about. */
  private async dispatch(record: StripeEvent): Promise<void> {
    const event = this.eventOf(record);
    const account = event.account
      ? await this.dataSource.getRepository(Account).findOneBy({ id: event.account })
      : null;
    const payload: StripeConnectEvent = { event, object: event.data.object, record, account };
    await this.emitter!.emitAsync(`${STRIPE_EVENT_PREFIX}.${event.type}`, payload);
  }

  /** Renews the claims while their holder works; the returned function stops it. */
  private renewing(claims: ClaimedEvent[]): () => void {
    const timer = setInterval(() => {
      for (const { record, owner } of claims) {
        this.events.renew(record.id, owner).then(
          (held) => {
            if (!held)
              this.logger.warn(`${record.id}: the processing claim was lost to another delivery`);
          },
          (error: unknown) =>
            this.logger.warn(`${record.id}: renewing the claim failed: ${describe(error)}`),
        );
      }
    }, LEASE_RENEWAL_MS);
    return () => clearInterval(timer);
  }
}
