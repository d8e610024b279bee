/** The counts of queued mode's queues, read from pg-boss's job table (one statement). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    const of = (name: string): QueueCounts => {
      const row = rows.find((r) => r.name === name);
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
    return {
      events: of(SYNC_QUEUE),
      listeners: of(LISTENERS_QUEUE),
      deadLettered: of(DEAD_LETTER_QUEUE).waiting,
    };
  }
}
