import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Rows whose window and block ended this long ago are forgotten (by whichever request comes next). */
const FORGET_AFTER_MS = 3_600_000;

interface CounterRow {
  hits: number;
  window_ms: string | number;
  block_ms: string | number | null;
}

/**
 * The throttler's counters in PostgreSQL (`stripe_rate_limits`), so that a caller's allowance is one across
 * every instance of the app, not one per process. A fixed window of `ttl` per key: the first hit opens it, a
 * hit beyond `limit` blocks the key for `blockDuration`; a blocked key's hits are not counted. One statement
 * per request, only on the rate-limited routes; it also forgets rows long expired.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const rows: CounterRow[] = await this.dataSource.query(
      `WITH "forgotten" AS (
         DELETE FROM "stripe_rate_limits"
          WHERE "key" <> $1
            AND "window_ends_at" < now() - make_interval(secs => $5 / 1000.0)
            AND ("blocked_until" IS NULL OR "blocked_until" < now() - make_interval(secs => $5 / 1000.0))
       )
       INSERT INTO "stripe_rate_limits" AS r ("key", "hits", "window_ends_at", "blocked_until")
       VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0),
               CASE WHEN 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0) END)
       ON CONFLICT ("key") DO UPDATE SET
         "hits" = CASE
           WHEN r."blocked_until" > now() THEN r."hits"
           WHEN r."window_ends_at" <= now() THEN 1
           ELSE r."hits" + 1 END,
         "window_ends_at" = CASE
           WHEN r."window_ends_at" <= now() THEN EXCLUDED."window_ends_at"
           ELSE r."window_ends_at" END,
         "blocked_until" = CASE
           WHEN r."blocked_until" > now() THEN r."blocked_until"
           WHEN (CASE WHEN r."window_ends_at" <= now() THEN 1 ELSE r."hits" + 1 END) > $3
             THEN now() + make_interval(secs => $4 / 1000.0)
           END
       RETURNING "hits",
         EXTRACT(EPOCH FROM ("window_ends_at" - now())) * 1000 AS "window_ms",
         EXTRACT(EPOCH FROM ("blocked_until" - now())) * 1000 AS "block_ms"`,
      [key, ttl, limit, blockDuration, FORGET_AFTER_MS],
    );
    const row = rows[0];
    const blockMs = row.block_ms === null ? 0 : Number(row.block_ms);
    const isBlocked = blockMs > 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, Math.ceil(Number(row.window_ms) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil(blockMs / 1000) : 0,
    };
  }
}
