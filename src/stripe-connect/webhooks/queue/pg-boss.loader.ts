/**
 * pg-boss, loaded only in queued mode (an optional peer dependency: inline users need not install it). The
 * interface below is the part of pg-boss 10.4 this library uses, typed as its JavaScript behaves (its own
 * typings' `complete(name, ids, options)` overload would pass the options as the job's output).
 */
import { StripeConnectConfigError } from '../../common/stripe-connect.errors.js';

/** Runs pg-boss's statements on a connection of ours (the host's pool, or an open transaction). */
export interface QueueExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface QueueJob<T> {
  id: string;
  name: string;
  data: T;
}

export interface QueueJobInsert<T> {
  id?: string;
  name: string;
  data: T;
  /** This job's retries (its queue's by default). */
  retryLimit?: number;
  /** Not before this many seconds from now (a PostgreSQL interval's text, e.g. '2'). */
  startAfter?: string;
}

export interface QueueDefinition {
  policy: 'standard';
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  retentionMinutes?: number;
  deadLetter?: string;
}

export interface QueueEngine {
  start(): Promise<unknown>;
  stop(options: {
    graceful: boolean;
    wait: boolean;
    close: boolean;
    timeout?: number;
  }): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  createQueue(name: string, options: QueueDefinition): Promise<void>;
  updateQueue(name: string, options: QueueDefinition): Promise<void>;
  insert<T>(jobs: QueueJobInsert<T>[], options?: { db?: QueueExecutor }): Promise<unknown>;
  fetch<T>(name: string, options: { batchSize: number }): Promise<QueueJob<T>[]>;
  complete(
    name: string,
    ids: string[],
    data: null,
    options?: { db?: QueueExecutor },
  ): Promise<unknown>;
  fail(
    name: string,
    ids: string[],
    data: Record<string, unknown>,
    options?: { db?: QueueExecutor },
  ): Promise<unknown>;
}

export interface QueueEngineOptions {
  db: QueueExecutor;
  schema: string;
}

type QueueEngineClass = new (options: Record<string, unknown>) => QueueEngine;

/** Imports pg-boss and makes its instance on our executor; a clear configuration error when it is missing. */
export async function createQueueEngine(options: QueueEngineOptions): Promise<QueueEngine> {
  let loaded: { default?: unknown };
  try {
    loaded = await import('pg-boss');
  } catch (error) {
    throw new StripeConnectConfigError([
      `webhookProcessing.mode 'queued' needs the package pg-boss (10.4): npm install pg-boss@^10.4 (${
        error instanceof Error ? error.message : String(error)
      })`,
    ]);
  }
  const PgBoss = (loaded.default ?? loaded) as QueueEngineClass;
  return new PgBoss({
    db: options.db,
    schema: options.schema,
    // Expired jobs are retried and old ones archived by pg-boss's supervisor on every instance.
    supervise: true,
    migrate: true,
    // No cron schedules: the library does not use them.
    schedule: false,
    // A completed job is bookkeeping only (the event's own row keeps its outcome): archived after an hour.
    // Failed ones stay in the job table a week, visible to the queue's health.
    archiveCompletedAfterSeconds: 3600,
    archiveFailedAfterSeconds: 7 * 24 * 3600,
  });
}
