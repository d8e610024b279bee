/**
 * Queued mode's engine room (`webhookProcessing: { mode: 'queued' }`): at start it refuses PGlite, loads
 * pg-boss on the host's own connection pool, makes the queues (events, listeners, dead letters) and starts
 * this instance's workers; at shutdown it stops taking deliveries, lets the batches in hand finish, then stops
 * pg-boss before the host's DataSource closes. In inline mode it does nothing.
 */
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { StripeConnectConfigError } from '../../common/stripe-connect.errors.js';
import { STRIPE_CONNECT_OPTIONS } from '../../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../../stripe-connect.options.js';
import { PROCESSING_LEASE_SECONDS } from '../stripe-events.repository.js';
import { JobLoop } from './job-loop.js';
import { keepRenewing, renewalIntervalMs } from './lease-renewal.js';
import {
  createQueueEngine,
  type QueueDefinition,
  type QueueEngine,
  type QueueJob,
} from './pg-boss.loader.js';
import { randomUUID } from 'node:crypto';
import { QueuedEventsRepository, type ClaimedEvent } from './queued-events.repository.js';
import { QueuedIngestService, type IngestOutcome } from './queued-ingest.service.js';
import { QueuedListenersProcessor } from './queued-listeners.processor.js';
import { QueuedSyncProcessor } from './queued-sync.processor.js';
import {
  DEAD_LETTER_QUEUE,
  LISTENERS_QUEUE,
  SYNC_QUEUE,
  type ListenerJobData,
  type SyncJobData,
} from './queue-names.js';
import { StripeListenersRegistry } from './stripe-listeners.registry.js';
import type { WebhookQueueHealth } from './webhook-queue-health.js';
import { QueueHealthRepository } from './queue-health.repository.js';

/** Listener jobs a worker takes at once at most (listeners of different objects run side by side). */
const LISTENER_BATCH = 100;

type QueuedOptions = Extract<ResolvedStripeConnectOptions['webhookProcessing'], { mode: 'queued' }>;

@Injectable()
export class WebhookQueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookQueueService.name);
  private engine?: QueueEngine;
  private readonly syncLoops: JobLoop<ClaimedEvent>[] = [];
  private readonly retryLoops: JobLoop<QueueJob<SyncJobData>>[] = [];
  /** Accounts of the batches this instance's sync workers hold (by batch count): the others claim around them. */
  private readonly busyAccounts = new Map<string, number>();
  private readonly listenerLoops: JobLoop<QueueJob<ListenerJobData>>[] = [];

  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ingestion: QueuedIngestService,
    private readonly syncProcessor: QueuedSyncProcessor,
    private readonly listenersProcessor: QueuedListenersProcessor,
    private readonly listeners: StripeListenersRegistry,
    private readonly health: QueueHealthRepository,
    private readonly queuedEvents: QueuedEventsRepository,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  /** True when deliveries are queued (the webhook path hands them to `ingest`). */
  get queued(): boolean {
    return this.options.webhookProcessing.mode === 'queued';
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.options.webhookProcessing;
    if (settings.mode !== 'queued') return;
    await this.refusePglite();
    const pool = (this.dataSource.driver as PostgresDriver).master as {
      query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    };
    const engine = await createQueueEngine({
      schema: settings.schema,
      db: { executeSql: (text, values) => pool.query(text, values) },
    });
    engine.on('error', (error) => this.logger.error(`pg-boss: ${error.message}`));
    await engine.start();
    await this.defineQueues(engine, settings);
    this.engine = engine;
    this.listeners.load(this.emitter);
    this.ingestion.open(engine, () => this.wake('sync'));
    if (!settings.workers) {
      this.logger.log(
        'queued webhook processing: this instance stores and enqueues only (no workers)',
      );
      return;
    }
    for (let i = 0; i < settings.concurrency; i += 1) {
      // The work list: the stored events still to sync, each batch claimed under its own owner token.
      let owner = '';
      this.syncLoops.push(
        new JobLoop(
          'stripe_events (to sync)',
          () => {
            owner = randomUUID();
            return this.queuedEvents.claimWork(owner, settings.batchSize, [
              ...this.busyAccounts.keys(),
            ]);
          },
          (claimed) => this.syncClaimed(engine, claimed, owner),
          settings.pollIntervalMs,
          this.logger,
        ),
      );
      this.listenerLoops.push(
        new JobLoop(
          LISTENERS_QUEUE,
          () =>
            engine.fetch<ListenerJobData>(LISTENERS_QUEUE, {
              batchSize: Math.min(settings.batchSize, LISTENER_BATCH),
            }),
          (jobs) => this.listenersProcessor.handle(engine, jobs),
          settings.pollIntervalMs,
          this.logger,
        ),
      );
    }
    // Events whose sync failed, retried by pg-boss with backoff (rare: one worker per instance).
    this.retryLoops.push(
      new JobLoop(
        SYNC_QUEUE,
        () => engine.fetch<SyncJobData>(SYNC_QUEUE, { batchSize: settings.batchSize }),
        async (jobs) => {
          await this.syncProcessor.handle(engine, jobs);
          if (this.listeners.any) this.wake('listeners');
        },
        Math.max(settings.pollIntervalMs, 1000),
        this.logger,
      ),
    );
    for (const loop of this.loops()) loop.start();
    this.logger.log(
      `queued webhook processing: ${settings.concurrency} worker(s) per queue, batches of ${settings.batchSize}`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.engine) return;
    const engine = this.engine;
    this.engine = undefined;
    await this.ingestion.close();
    await Promise.all(this.loops().map((loop) => loop.stop()));
    this.syncLoops.length = 0;
    this.retryLoops.length = 0;
    this.listenerLoops.length = 0;
    await engine.stop({ graceful: false, wait: true, close: false });
  }

  /** Stores a verified delivery and enqueues it (queued mode). */
  ingest(event: Stripe.Event): Promise<IngestOutcome> {
    return this.ingestion.ingest(event);
  }

  /** Jobs waiting, active, failed and dead-lettered, and the age of the oldest waiting one. */
  async queueHealth(): Promise<WebhookQueueHealth> {
    const settings = this.options.webhookProcessing;
    if (settings.mode !== 'queued') return { mode: 'inline', queues: null };
    return { mode: 'queued', queues: await this.health.read(settings.schema) };
  }

  /**
   * A work-list batch: its accounts kept from this instance's other workers' claims, and its claims renewed
   * while it runs. Answers how many events it got through.
   */
  private async syncClaimed(
    engine: QueueEngine,
    claimed: ClaimedEvent[],
    owner: string,
  ): Promise<number> {
    const accounts = claimed.flatMap((c) => (c.event.account ? [c.event.account] : []));
    for (const id of accounts) this.busyAccounts.set(id, (this.busyAccounts.get(id) ?? 0) + 1);
    const ids = claimed.map((c) => c.id);
    const stopRenewing = keepRenewing(
      () => this.queuedEvents.renewClaims(ids, owner),
      renewalIntervalMs(PROCESSING_LEASE_SECONDS),
      (error) =>
        this.logger.warn(
          `renewing a batch's claims: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    try {
      const done = await this.syncProcessor.handleClaimed(engine, claimed, owner);
      if (this.listeners.any) this.wake('listeners');
      return done;
    } finally {
      stopRenewing();
      for (const id of accounts) {
        const left = this.busyAccounts.get(id)! - 1;
        if (left) this.busyAccounts.set(id, left);
        else this.busyAccounts.delete(id);
      }
    }
  }

  private loops(): { start(): void; stop(): Promise<void> }[] {
    return [...this.syncLoops, ...this.retryLoops, ...this.listenerLoops];
  }

  private wake(which: 'sync' | 'listeners'): void {
    for (const loop of which === 'sync' ? this.syncLoops : this.listenerLoops) loop.wake();
  }

  private async defineQueues(engine: QueueEngine, settings: QueuedOptions): Promise<void> {
    const retrying: QueueDefinition = {
      policy: 'standard',
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: settings.expireInSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
    };
    // The dead letters are never worked: they wait for an operator (pg-boss keeps each copy twice its job's
    // retention: about four weeks).
    const deadLetters: QueueDefinition = {
      policy: 'standard',
      retryLimit: 0,
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: settings.expireInSeconds,
      retentionMinutes: 30 * 24 * 60,
    };
    await engine.createQueue(DEAD_LETTER_QUEUE, deadLetters);
    for (const name of [SYNC_QUEUE, LISTENERS_QUEUE]) {
      await engine.createQueue(name, retrying);
      // An existing queue takes this start's settings (createQueue leaves it as it was).
      await engine.updateQueue(name, retrying);
    }
  }

  /** PGlite is one session in this process: no other instance could share the queue, and pg-boss needs a pool. */
  private async refusePglite(): Promise<void> {
    const rows = await this.dataSource.query<{ version: string }[]>(
      'SELECT version() AS "version"',
    );
    if (/pglite|emscripten/i.test(rows[0]?.version ?? '')) {
      throw new StripeConnectConfigError([
        "webhookProcessing.mode 'queued' needs PostgreSQL: this database is PGlite (embedded, one session in this process), where deliveries can only be processed inline; remove webhookProcessing or set DATABASE_URL to a PostgreSQL server",
      ]);
    }
  }
}
