/**
 * Ingest in queued mode (group commit): deliveries that arrive together are stored in one statement, each
 * answered once it commits. The stored events still to sync are the workers' work list: nothing else is
 * enqueued. A batch that fails is retried one delivery at a time, so one bad event fails only its own delivery.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { QueueEngine } from './pg-boss.loader.js';
import { QueuedEventsRepository, type SqlClient } from './queued-events.repository.js';

/**
 * `queued`: stored now (or stored before with its sync failed: back on the work list); `duplicate`: stored
 * before (its first delivery is processed, or will be).
 */
export type IngestOutcome = 'queued' | 'duplicate';

interface Delivery {
  event: Stripe.Event;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/** Statements of deliveries at once (each holds one pooled connection). */
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

  /** Stores the verified event for its sync; resolves once it is committed. */
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
      // One row per event: a repeat in the same batch answers as a duplicate of the first.
      const firsts = new Map<string, Stripe.Event>();
      for (const d of batch) if (!firsts.has(d.event.id)) firsts.set(d.event.id, d.event);
      const inserted = await this.store([...firsts.values()]);
      for (const d of batch) {
        const first = firsts.get(d.event.id) === d.event && inserted.has(d.event.id);
        d.resolve(first ? 'queued' : 'duplicate');
      }
      if (inserted.size) this.onStored?.();
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

  /** One autocommitted statement: the events (new ones, and failed ones put back on the work list). */
  private async store(events: Stripe.Event[]): Promise<Set<string>> {
    const pool = (this.dataSource.driver as PostgresDriver).master as SqlClient;
    return this.events.insertMany(pool, events);
  }
}
