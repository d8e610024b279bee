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
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import {
  InvalidWebhookPayloadError,
  StripeConnectConfigError,
  StripeUnavailableError,
  WebhookSignatureError,
} from '../common/stripe-connect.errors.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';
import { lockStripeObject } from '../common/mirror-writer.js';
import { EventSyncService, type MirrorOp } from './event-sync.service.js';
import { STRIPE_EVENT_PREFIX, type StripeConnectEvent } from './on-stripe-event.decorator.js';
import { StripeEvent } from './stripe-event.entity.js';
import { StripeEventsRepository, type EventReplayFilter } from './stripe-events.repository.js';

export type WebhookEndpointKind = 'platform' | 'connect';
/** `processed`: done now; `duplicate`: done before; `failed`: kept for redelivery; `busy`: another delivery still holds it. */
export type EventOutcome = 'processed' | 'duplicate' | 'failed' | 'busy';

export const SIGNATURE_TOLERANCE_SECONDS = 300;
const WAIT_POLL_MS = 50;
const WAIT_LIMIT_MS = 25_000;
const MAX_SYNC_ATTEMPTS = 3;

class SnapshotTie extends Error {}

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

  /** Checks the `Stripe-Signature` header against every secret of the endpoint (several during a rotation). */
  verify(kind: WebhookEndpointKind, rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!signature) throw new WebhookSignatureError('Missing Stripe-Signature header');
    if (!this.options.stripe.available)
      throw new StripeUnavailableError(this.options.stripe.reason);
    const secrets =
      kind === 'platform'
        ? this.options.stripe.webhookSecrets
        : this.options.stripe.connectWebhookSecrets;
    let lastError: unknown;
    for (const secret of secrets) {
      try {
        return this.stripe.webhooks.constructEvent(
          rawBody,
          signature,
          secret,
          SIGNATURE_TOLERANCE_SECONDS,
        );
      } catch (error) {
        lastError = error;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : '';
    if (/tolerance/i.test(reason))
      throw new WebhookSignatureError('Signature timestamp is outside the tolerance zone');
    if (/JSON|Unexpected token/i.test(reason))
      throw new InvalidWebhookPayloadError('The body is not a Stripe event');
    throw new WebhookSignatureError('No valid signature for this endpoint');
  }

  /** A delivery: verified, stored once, processed once. */
  async receive(
    kind: WebhookEndpointKind,
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<{ event: Stripe.Event; outcome: EventOutcome }> {
    const event = this.verify(kind, rawBody, signature);
    if (
      typeof event.id !== 'string' ||
      !event.id.startsWith('evt_') ||
      typeof event.type !== 'string'
    ) {
      throw new InvalidWebhookPayloadError('The body is not a Stripe event');
    }
    await this.events.insertOnce(event);
    const outcome = await this.handle(event.id);
    this.logger.log(`${event.id} ${event.type} ${event.account ?? 'platform'}: ${outcome}`);
    return { event, outcome };
  }

  private async handle(id: string): Promise<EventOutcome> {
    const running = this.inflight.get(id);
    if (running) return (await running) === 'processed' ? 'duplicate' : 'failed';
    const record = await this.events.find(id);
    if (!record) throw new Error(`Stored event ${id} disappeared`);
    if (record.status === 'processed') return 'duplicate';
    if (!(await this.events.claim(id))) return this.waitForOther(id);
    return this.track(id);
  }

  private track(id: string): Promise<EventOutcome> {
    const promise = this.processClaimed(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, promise);
    return promise;
  }

  /** Another delivery holds the event: answer as it does once it is done. */
  private async waitForOther(id: string): Promise<EventOutcome> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (Date.now() < deadline) {
      const running = this.inflight.get(id);
      if (running) return (await running) === 'processed' ? 'duplicate' : 'failed';
      const record = await this.events.find(id);
      if (record?.status === 'processed') return 'duplicate';
      if (record && !record.processingStartedAt) {
        // Released (failed) by the other delivery: this one may take it.
        if (await this.events.claim(id)) return this.track(id);
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
    return 'busy';
  }

  private async processClaimed(id: string): Promise<EventOutcome> {
    const record = await this.events.find(id);
    if (!record) throw new Error(`Stored event ${id} disappeared`);
    try {
      await this.process(record);
      await this.events.markProcessed(id);
      return 'processed';
    } catch (error) {
      this.logger.warn(
        `${id} ${record.type}: processing failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      await this.events.markFailed(record, error);
      return 'failed';
    }
  }

  /** Sync, then listeners. Throws on any failure. */
  private async process(record: StripeEvent): Promise<void> {
    const event = record.payload as unknown as Stripe.Event;
    const created = new Date(event.created * 1000);
    const ops = this.sync.opsFor(event);
    await this.ensureAccounts(event, ops, created);
    await this.runOps(ops, created, record.id);
    const account = event.account
      ? await this.dataSource.getRepository(Account).findOneBy({ id: event.account })
      : null;
    const payload: StripeConnectEvent = { event, object: event.data.object, record, account };
    await this.emitter!.emitAsync(`${STRIPE_EVENT_PREFIX}.${event.type}`, payload);
  }

  /** Accounts an event refers to but the mirror lacks are fetched from Stripe first (standard and express accounts appear this way). */
  private async ensureAccounts(event: Stripe.Event, ops: MirrorOp[], created: Date): Promise<void> {
    const covered = new Set(
      ops.filter((op) => op.table === Account && op.mode === 'snapshot').map((op) => op.id),
    );
    const wanted = new Set(
      [event.account, ...ops.flatMap((op) => op.accounts ?? [])].filter(
        (id): id is string => !!id && !covered.has(id),
      ),
    );
    for (const id of wanted) {
      if (await this.dataSource.getRepository(Account).existsBy({ id })) continue;
      const account = await this.stripe.accounts.retrieve(id, {}, { stripeAccount: id });
      await this.runOps([this.sync.accountOp(account)], created, null);
    }
  }

  /**
   * The ordering guard around the writes: a row newer than the event is left alone; a row as new as the
   * event (Stripe's `created` has one-second resolution) is settled by re-fetching the object from Stripe.
   * Every Stripe call happens before the transaction opens.
   */
  private async runOps(ops: MirrorOp[], created: Date, eventId: string | null): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const planned: { op: MirrorOp; value: unknown; fetched: boolean }[] = [];
      for (const op of ops) {
        const current = op.table
          ? await this.snapshotOf(this.dataSource.manager, op.table, op.id, false)
          : null;
        if (current && current.getTime() > created.getTime()) continue;
        let source = op.object;
        let fetched = false;
        if (
          current &&
          current.getTime() === created.getTime() &&
          op.mode === 'snapshot' &&
          op.refetch
        ) {
          source = await op.refetch();
          fetched = true;
        }
        planned.push({ op, value: op.prepare ? await op.prepare(source) : source, fetched });
      }
      try {
        await this.dataSource.transaction(async (manager) => {
          for (const { op, value, fetched } of planned) {
            if (op.table) {
              await lockStripeObject(manager, op.id);
              const current = await this.snapshotOf(manager, op.table, op.id, true);
              if (current && current.getTime() > created.getTime()) continue;
              if (
                current &&
                current.getTime() === created.getTime() &&
                op.mode === 'snapshot' &&
                op.refetch &&
                !fetched
              ) {
                throw new SnapshotTie();
              }
            }
            await op.write(manager, value, created);
          }
          if (eventId)
            await manager.update(StripeEvent, { id: eventId }, { syncedAt: () => 'now()' });
        });
        return;
      } catch (error) {
        if (!(error instanceof SnapshotTie) || attempt >= MAX_SYNC_ATTEMPTS) throw error;
      }
    }
  }

  private async snapshotOf(
    manager: EntityManager,
    table: EntityTarget<ObjectLiteral>,
    id: string,
    lock: boolean,
  ): Promise<Date | null> {
    const query = manager
      .createQueryBuilder(table, 't')
      .select('t.snapshotAt', 'snapshotAt')
      .where('t.id = :id', { id });
    if (lock) query.setLock('pessimistic_write');
    const row = await query.getRawOne<{ snapshotAt: Date | string | null }>();
    if (!row?.snapshotAt) return null;
    return row.snapshotAt instanceof Date ? row.snapshotAt : new Date(row.snapshotAt);
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
      const outcome = (await this.events.claim(record.id, { includeProcessed: true }))
        ? await this.track(record.id)
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
