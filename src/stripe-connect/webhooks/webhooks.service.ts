/**
 * The webhook path (DESIGN.md section 6): verify the signature over the raw body with the endpoint's secrets →
 * store the event once → if another delivery is processing it, wait for that one → run the built-in sync and
 * record it on the event in one transaction (every Stripe call made before it opens) → dispatch to listeners
 * after the commit → mark processed. Any failure leaves the event `failed` with its error, for Stripe's
 * redelivery or the replay command. Deliveries that arrive together share their statements and their
 * transaction (group commit, `EventBatchProcessor`); each is answered with its own outcome after its commit.
 */
import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import {
  InvalidWebhookPayloadError,
  StripeConnectConfigError,
  StripeUnavailableError,
  WebhookSignatureError,
  type WebhookRejectionReason,
} from '../common/stripe-connect.errors.js';
import { STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';
import {
  EventBatchProcessor,
  type ClaimedEvent,
  type EventOutcome,
} from './event-batch.processor.js';
import { GroupCommitQueue } from './group-commit.queue.js';
import {
  PROCESSING_LEASE_SECONDS,
  StripeEventsRepository,
  type EventReplayFilter,
} from './stripe-events.repository.js';
import { storableText } from '../common/postgres-text.js';
import { readableEventId, verifyStripeWebhook } from './webhook-signature.js';
import { WebhookQueueService } from './queue/webhook-queue.service.js';

export type WebhookEndpointKind = 'platform' | 'connect';
export type { EventOutcome };

/** Deliveries per group commit at most, and group commits in flight at once. */
const GROUP_COMMIT = { maxBatch: 64, maxInFlight: 2 };

/** The answer to a repeat of a delivery this process was handling, once that one is done. */
function asRepeat(first: EventOutcome): EventOutcome {
  return first === 'processed' || first === 'duplicate' ? 'duplicate' : first;
}

export const SIGNATURE_TOLERANCE_SECONDS = 300;
const UNICODE_ESCAPE = Buffer.from('\\u');
const WAIT_POLL_MS = 50;
const WAIT_LIMIT_MS = 25_000;

function leaseExpired(startedAt: Date): boolean {
  return Date.now() - new Date(startedAt).getTime() > PROCESSING_LEASE_SECONDS * 1000;
}

@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly logger = new Logger(WebhooksService.name);
  /** Deliveries processing in this process, by event id: concurrent duplicates wait on them. */
  private readonly inflight = new Map<string, Promise<EventOutcome>>();
  private readonly batches = new GroupCommitQueue<Stripe.Event, EventOutcome | null>(
    (events) => this.commitGroup(events),
    GROUP_COMMIT,
  );

  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
    private readonly events: StripeEventsRepository,
    private readonly processor: EventBatchProcessor,
    private readonly queue: WebhookQueueService,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  onModuleInit(): void {
    const emitter = this.emitter as { wildcard?: boolean } | undefined;
    if (!emitter?.wildcard) {
      throw new StripeConnectConfigError([
        'StripeConnectModule dispatches Stripe events on @nestjs/event-emitter: import EventEmitterModule.forRoot({ wildcard: true }) in the host module',
      ]);
    }
  }

  /**
   * Checks the `Stripe-Signature` header against every secret of the endpoint (several during a rotation).
   * A refusal is a 400 saying why (see webhook-signature.ts), logged at warn with the event id when readable.
   */
  verify(kind: WebhookEndpointKind, rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!this.options.stripe.available)
      throw new StripeUnavailableError(this.options.stripe.reason);
    const secrets =
      kind === 'platform'
        ? this.options.stripe.webhookSecrets
        : this.options.stripe.connectWebhookSecrets;
    try {
      return verifyStripeWebhook(secrets, rawBody, signature, SIGNATURE_TOLERANCE_SECONDS);
    } catch (error) {
      if (error instanceof WebhookSignatureError || error instanceof InvalidWebhookPayloadError)
        this.rejected(kind, error.reason, readableEventId(rawBody));
      throw error;
    }
  }

  /** One warn line per refused delivery: endpoint, reason, event id when readable. Never the body or header. */
  rejected(
    kind: WebhookEndpointKind,
    reason: WebhookRejectionReason,
    eventId: string | null,
  ): void {
    this.logger.warn(
      `${kind} webhook refused: ${reason}${eventId ? ` (${eventId})` : ' (no readable event id)'}`,
    );
  }

  /** A delivery: verified, stored once, processed once. */
  async receive(
    kind: WebhookEndpointKind,
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<{ event: Stripe.Event; outcome: EventOutcome }> {
    // Text PostgreSQL cannot store (NUL, lone surrogates) is made storable, or the event would fail for ever.
    // JSON can only carry either as a `\u` escape (raw bytes decode to U+FFFD): a body without one is storable.
    const verified = this.verify(kind, rawBody, signature);
    const event = rawBody.includes(UNICODE_ESCAPE) ? storableText(verified) : verified;
    const outcome = this.queue.queued ? await this.queue.ingest(event) : await this.handle(event);
    this.logger.log(`${event.id} ${event.type} ${event.account ?? 'platform'}: ${outcome}`);
    return { event, outcome };
  }

  /**
   * Stores and claims the event (with the deliveries that arrive beside it: group commit), processes it; a
   * delivery that cannot claim it answers as the holder does. A second delivery of an event this process is
   * handling answers as the first one does.
   */
  private handle(event: Stripe.Event): Promise<EventOutcome> {
    const running = this.inflight.get(event.id);
    if (running) return running.then(asRepeat);
    const promise = this.deliver(event).finally(() => {
      if (this.inflight.get(event.id) === promise) this.inflight.delete(event.id);
    });
    this.inflight.set(event.id, promise);
    return promise;
  }

  private async deliver(event: Stripe.Event): Promise<EventOutcome> {
    const outcome = await this.batches.submit(event);
    return outcome ?? this.waitForOther(event.id);
  }

  /**
   * One group commit: the waiting deliveries stored, claimed and processed in one transaction. An event not
   * claimed (processed before, or held by another delivery) answers null.
   */
  private commitGroup(events: Stripe.Event[]): Promise<Promise<EventOutcome | null>[]> {
    return this.processor.receiveBatch(events);
  }

  private track(claimed: ClaimedEvent): Promise<EventOutcome> {
    const id = claimed.record.id;
    const promise = this.processor.processOne(claimed).finally(() => {
      if (this.inflight.get(id) === promise) this.inflight.delete(id);
    });
    if (!this.inflight.has(id)) this.inflight.set(id, promise);
    return promise;
  }

  /** Another delivery (here or on another instance) holds the event: answer as it does once it is done. */
  private async waitForOther(id: string): Promise<EventOutcome> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (Date.now() < deadline) {
      const record = await this.events.find(id);
      if (record?.status === 'processed') return 'duplicate';
      if (record && (!record.processingStartedAt || leaseExpired(record.processingStartedAt))) {
        // Released (failed) by the other delivery, or its lease ran out (a crash): this one takes it.
        const owner = randomUUID();
        if (await this.events.claim(id, owner)) return this.processor.processOne({ record, owner });
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
    return 'busy';
  }

  /** Reprocesses stored events (failed ones by default); processing is idempotent. */
  async replay(
    filter: EventReplayFilter,
    progress: {
      onSelected?: (count: number) => void;
      onResult?: (result: { id: string; type: string; outcome: EventOutcome }) => void;
    } = {},
  ): Promise<{ id: string; type: string; outcome: EventOutcome }[]> {
    const results: { id: string; type: string; outcome: EventOutcome }[] = [];
    const selected = await this.events.selectForReplay(filter);
    progress.onSelected?.(selected.length);
    for (const record of selected) {
      const owner = randomUUID();
      const outcome = (await this.events.claim(record.id, owner, { includeProcessed: true }))
        ? await this.track({ record, owner })
        : 'busy';
      this.logger.log(
        `replay ${record.id} ${record.type} ${record.accountId ?? 'platform'}: ${outcome}`,
      );
      results.push({ id: record.id, type: record.type, outcome });
      progress.onResult?.(results[results.length - 1]);
    }
    return results;
  }
}
