/**
 * The webhook path (DESIGN.md section 6): verify the signature over the raw body with the endpoint's secrets →
 * store the event once → if another delivery is processing it, wait for that one → run the built-in sync and
 * record it on the event in one transaction (every Stripe call made before it opens) → dispatch to listeners
 * after the commit → mark processed. Any failure leaves the event `failed` with its error, for Stripe's
 * redelivery or the replay command.
 */
import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import {
  InvalidWebhookPayloadError,
  StripeConnectConfigError,
  StripeUnavailableError,
  WebhookSignatureError,
  type WebhookRejectionReason,
} from '../common/stripe-connect.errors.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';
import { EventSyncService } from './event-sync.service.js';
import { MirrorService } from './mirror.service.js';
import { STRIPE_EVENT_PREFIX, type StripeConnectEvent } from './on-stripe-event.decorator.js';
import { StripeEvent } from './stripe-event.entity.js';
import {
  PROCESSING_LEASE_SECONDS,
  StripeEventsRepository,
  type EventReplayFilter,
} from './stripe-events.repository.js';
import { storableText } from '../common/postgres-text.js';
import { readableEventId, verifyStripeWebhook } from './webhook-signature.js';
import { WebhookQueueService } from './queue/webhook-queue.service.js';

export type WebhookEndpointKind = 'platform' | 'connect';
/**
 * `processed`: done now; `duplicate`: done (queued mode: stored) before; `failed`: kept for redelivery; `busy`:
 * another delivery still holds it; `queued`: stored and enqueued for the workers (queued mode).
 */
export type EventOutcome = 'processed' | 'duplicate' | 'failed' | 'busy' | 'queued';

export const SIGNATURE_TOLERANCE_SECONDS = 300;
const WAIT_POLL_MS = 50;
const WAIT_LIMIT_MS = 25_000;
/** The claim is renewed this often while its delivery works (a third of the lease). */
const LEASE_RENEWAL_MS = (PROCESSING_LEASE_SECONDS * 1000) / 3;

function leaseExpired(startedAt: Date): boolean {
  return Date.now() - new Date(startedAt).getTime() > PROCESSING_LEASE_SECONDS * 1000;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly logger = new Logger(WebhooksService.name);
  /** Deliveries processing in this process, by event id: concurrent duplicates wait on them. */
  private readonly inflight = new Map<string, Promise<EventOutcome>>();

  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
    @InjectStripeClient() private readonly stripe: Stripe,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: StripeEventsRepository,
    private readonly sync: EventSyncService,
    private readonly mirror: MirrorService,
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
      return verifyStripeWebhook(
        this.stripe,
        secrets,
        rawBody,
        signature,
        SIGNATURE_TOLERANCE_SECONDS,
      );
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
    const event = storableText(this.verify(kind, rawBody, signature));
    const outcome = this.queue.queued ? await this.queue.ingest(event) : await this.handle(event);
    this.logger.log(`${event.id} ${event.type} ${event.account ?? 'platform'}: ${outcome}`);
    return { event, outcome };
  }

  /** Stores and claims the event in one statement; a delivery that cannot claim it answers as the holder does. */
  private async handle(event: Stripe.Event): Promise<EventOutcome> {
    const running = this.inflight.get(event.id);
    if (running) return (await running) === 'processed' ? 'duplicate' : 'failed';
    const owner = randomUUID();
    const record = await this.events.insertAndClaim(event, owner);
    if (!record) return this.waitForOther(event.id);
    return this.track(record, owner);
  }

  private track(record: StripeEvent, owner: string): Promise<EventOutcome> {
    const promise = this.processClaimed(record, owner).finally(() =>
      this.inflight.delete(record.id),
    );
    this.inflight.set(record.id, promise);
    return promise;
  }

  /** Another delivery (here or on another instance) holds the event: answer as it does once it is done. */
  private async waitForOther(id: string): Promise<EventOutcome> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (Date.now() < deadline) {
      const running = this.inflight.get(id);
      if (running) return (await running) === 'processed' ? 'duplicate' : 'failed';
      const record = await this.events.find(id);
      if (record?.status === 'processed') return 'duplicate';
      if (record && (!record.processingStartedAt || leaseExpired(record.processingStartedAt))) {
        // Released (failed) by the other delivery, or its lease ran out (a crash): this one takes it.
        const owner = randomUUID();
        if (await this.events.claim(id, owner)) return this.track(record, owner);
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
    return 'busy';
  }

  /**
   * Processes an event this delivery claimed (`owner`), renewing the claim while the work goes on. Only the
   * owner completes or fails it; a claim lost meanwhile (taken over after expiry) is left to its new owner.
   */
  private async processClaimed(claimed: StripeEvent, owner: string): Promise<EventOutcome> {
    const id = claimed.id;
    const renewal = setInterval(() => {
      this.events.renew(id, owner).then(
        (held) => {
          if (!held) this.logger.warn(`${id}: the processing claim was lost to another delivery`);
        },
        (error: unknown) =>
          this.logger.warn(`${id}: renewing the claim failed: ${describe(error)}`),
      );
    }, LEASE_RENEWAL_MS);
    try {
      const record = claimed.payload ? claimed : await this.events.find(id);
      if (!record) throw new Error(`Stored event ${id} disappeared`);
      if (await this.process(record, owner))
        if (!(await this.events.markProcessed(id, owner)))
          this.logger.warn(`${id}: processed, but another delivery holds the claim now`);
      return 'processed';
    } catch (error) {
      this.logger.warn(`${id} ${claimed.type}: processing failed: ${describe(error)}`);
      try {
        await this.events.markFailed(id, owner, error);
      } catch (recording) {
        // The claim stays until its lease expires: the event is claimable again then.
        this.logger.error(`${id}: recording the failure failed: ${describe(recording)}`);
      }
      return 'failed';
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * Sync (recorded on the event, in the sync's transaction, while the claim is held), then listeners. With no
   * listener for the event, the sync's transaction also completes the claim (one status write): true when the
   * caller still has to mark the event processed.
   */
  private async process(record: StripeEvent, owner: string): Promise<boolean> {
    const event = record.payload as unknown as Stripe.Event;
    const name = `${STRIPE_EVENT_PREFIX}.${event.type}`;
    const emitter = this.emitter!;
    const listened = emitter.hasListeners(name) || emitter.listenersAny().length > 0;
    await this.mirror.apply(this.sync.opsFor(event), new Date(event.created * 1000), {
      livemode: event.livemode,
      within: async (manager) => {
        const recorded = listened
          ? await this.events.recordSync(manager, record.id, owner)
          : await this.events.recordSyncedAndProcessed(manager, record.id, owner);
        if (!recorded)
          throw new Error(`${record.id}: the processing claim was lost to another delivery`);
      },
    });
    if (!listened) return false;
    const account = event.account
      ? await this.dataSource.getRepository(Account).findOneBy({ id: event.account })
      : null;
    const payload: StripeConnectEvent = { event, object: event.data.object, record, account };
    await emitter.emitAsync(name, payload);
    return true;
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
        ? await this.track(record, owner)
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
