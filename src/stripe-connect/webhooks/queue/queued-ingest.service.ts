/**
 * Ingest in queued mode (group commit): deliveries that arrive together are stored and enqueued in one
 * transaction (one multi-row insert of events, one of jobs), each answered once its batch commits. A batch
 * that fails is retried one delivery at a time, so one bad event fails only its own delivery.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { orderedJobId } from './job-ids.js';
import type { QueueEngine, QueueExecutor } from './pg-boss.loader.js';
import { QueuedEventsRepository, type SqlClient } from './queued-events.repository.js';
import { SYNC_QUEUE, type SyncJobData } from './queue-names.js';

/** `queued`: stored now and enqueued; `duplicate`: stored before (its first delivery's job processes it). */
export type IngestOutcome = 'queued' | 'duplicate';

interface Delivery {
  event: Stripe.Event;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

interface PooledClient extends SqlClient {
  release(error?: Error): void;
}

/** Transactions of deliveries at once (each holds one pooled connection). */
const MAX_TRANSACTIONS = 3;
/** Deliveries per transaction at most. */
const MAX_BATCH = 500;

@Injectable()
export class QueuedIngestService {
  private readonly logger = new Logger(QueuedIngestService.name);
  private readonly waiting: Delivery[] = [];
  private transactions = 0;
  private idle?: () => void;
  private engine?: QueueEngine;
  private onStored?: () => void;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: QueuedEventsRepository,
  ) {}

  /** Starts taking deliveries; `onStored` is told when a batch committed (to wake this instance's workers). */
  open(engine: QueueEngine, onStored: () => void): void {
    this.engine = engine;
    this.onStored = onStored;
    this.closed = false;
  }

  /** Stops taking deliveries and waits for the batches in hand to commit. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.transactions || this.waiting.length)
      await new Promise<void>((resolve) => (this.idle = resolve));
  }

  /** Stores the verified event and enqueues its sync; resolves once both are committed. */
  ingest(event: Stripe.Event): Promise<IngestOutcome> {
    if (this.closed || !this.engine)
      return Promise.reject(new Error('The webhook queue is not running (the app is stopping)'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.transactions < MAX_TRANSACTIONS && this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.transactions += 1;
      void this.commit(batch).finally(() => {
        this.transactions -= 1;
        this.pump();
        if (!this.transactions && !this.waiting.length) this.idle?.();
      });
    }
  }

  private async commit(batch: Delivery[]): Promise<void> {
    try {
      const inserted = await this.store(batch.map((d) => d.event));
      for (const d of batch) d.resolve(inserted.has(d.event.id) ? 'queued' : 'duplicate');
      this.onStored?.();
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      this.logger.warn(
        `storing ${batch.length} deliveries together failed (${error instanceof Error ? error.message : String(error)}): storing each alone`,
      );
      for (const d of batch) await this.commit([d]);
    }
  }

  /** One transaction: the events (new ones only) and one sync job per new event, in arrival order. */
  private async store(events: Stripe.Event[]): Promise<Set<string>> {
    const pool = (this.dataSource.driver as PostgresDriver).master as {
      connect(): Promise<PooledClient>;
    };
    const client = await pool.connect();
    // A connection whose rollback failed is discarded rather than returned to the pool.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const inserted = await this.events.insertMany(client, events);
      const jobs = [...inserted].map((id) => ({
        id: orderedJobId(),
        name: SYNC_QUEUE,
        data: { event: id } satisfies SyncJobData,
      }));
      if (jobs.length) await this.engine!.insert(jobs, { db: executorOf(client) });
      await client.query('COMMIT');
      return inserted;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** pg-boss's statements on one `pg` client (inside our transaction). */
export function executorOf(client: SqlClient): QueueExecutor {
  return { executeSql: (text, values) => client.query(text, values) };
}
