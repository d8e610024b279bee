/**
 * The counts of queued mode's queues: the work list (stored events still to sync) from `stripe_events`, the
 * retries of failed syncs, the listener jobs and the dead letters from pg-boss's job table.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PROCESSING_LEASE_SECONDS } from '../stripe-events.repository.js';
import { rowsOf } from '../../common/mirror-writer.js';
import { DEAD_LETTER_QUEUE, LISTENERS_QUEUE, SYNC_QUEUE } from './queue-names.js';
import type { QueueCounts, WebhookQueueHealth } from './webhook-queue-health.js';

interface CountsRow {
  name: string;
  waiting: number;
  retrying: number;
  active: number;
  stuck: number;
  failed: number;
  oldest: number | string | null;
}

const NONE: QueueCounts = {
  waiting: 0,
  retrying: 0,
  active: 0,
  stuck: 0,
  failed: 0,
  oldestWaitingSeconds: null,
};

@Injectable()
export class QueueHealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `schema`: pg-boss's (validated as an identifier by the options). */
  async read(schema: string): Promise<NonNullable<WebhookQueueHealth['queues']>> {
    const rows = rowsOf<CountsRow>(
      await this.dataSource.query(
        `SELECT "name",
           count(*) FILTER (WHERE "state" IN ('created', 'retry'))::int AS "waiting",
           count(*) FILTER (WHERE "state" = 'retry')::int AS "retrying",
           count(*) FILTER (WHERE "state" = 'active')::int AS "active",
           count(*) FILTER (WHERE "state" = 'active' AND "started_on" + "expire_in" < now())::int AS "stuck",
           count(*) FILTER (WHERE "state" = 'failed')::int AS "failed",
           extract(epoch FROM now() - min("created_on") FILTER (WHERE "state" IN ('created', 'retry')))
             AS "oldest"
         FROM "${schema}"."job" WHERE "name" = ANY($1::text[]) GROUP BY "name"`,
        [[SYNC_QUEUE, LISTENERS_QUEUE, DEAD_LETTER_QUEUE]],
      ),
    );
    const [work] = rowsOf<CountsRow>(
      await this.dataSource.query(
        `SELECT 'work' AS "name",
           count(*) FILTER (WHERE NOT "claimed")::int AS "waiting", 0 AS "retrying",
           count(*) FILTER (WHERE "claimed" AND NOT "expired")::int AS "active",
           count(*) FILTER (WHERE "expired")::int AS "stuck", 0 AS "failed",
           extract(epoch FROM now() - min("received_at") FILTER (WHERE NOT "claimed")) AS "oldest"
         FROM (SELECT "received_at", "processing_started_at" IS NOT NULL AS "claimed",
             "processing_started_at" < now() - interval '${PROCESSING_LEASE_SECONDS} seconds' AS "expired"
           FROM "stripe_events" WHERE "status" = 'pending' AND "synced_at" IS NULL) AS "w"`,
      ),
    );
    const of = (name: string, from = rows): QueueCounts => {
      const row = from.find((r) => r.name === name);
      if (!row) return { ...NONE };
      return {
        waiting: row.waiting,
        retrying: row.retrying,
        active: row.active,
        stuck: row.stuck,
        failed: row.failed,
        oldestWaitingSeconds: row.oldest === null ? null : Math.round(Number(row.oldest) * 10) / 10,
      };
    };
    const retries = of(SYNC_QUEUE);
    const oldest = [retries.oldestWaitingSeconds, of('work', [work]).oldestWaitingSeconds].filter(
      (age): age is number => age !== null,
    );
    return {
      // Waiting: on the work list, or waiting for a retry; a retry job is the event's second attempt on.
      events: {
        waiting: work.waiting + retries.waiting,
        retrying: retries.waiting,
        active: work.active + retries.active,
        stuck: work.stuck + retries.stuck,
        failed: retries.failed,
        oldestWaitingSeconds: oldest.length ? Math.max(...oldest) : null,
      },
      listeners: of(LISTENERS_QUEUE),
      deadLettered: of(DEAD_LETTER_QUEUE).waiting,
    };
  }
}
