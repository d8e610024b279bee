/**
 * The rate limit of the routes that mint links and states is one allowance per caller and route across every
 * instance on the database (its counters live in `stripe_rate_limits`), with a fixed window, a block once
 * over the limit, and rows forgotten once long expired. On PostgreSQL two instances share one database; on
 * PGlite (one process) one instance shows the same counting.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const LIMIT = 3;
const ROUTE = '/connect/oauth/authorize-url';

describe('rate limits shared by every instance', () => {
  const apps: TestApp[] = [];
  let db: DataSource;

  beforeAll(async () => {
    const database = await createTestDatabase(inject('testDatabaseRun'));
    const instances = database.kind === 'postgres' ? 2 : 1;
    for (let i = 0; i < instances; i += 1)
      apps.push(await createTestApp({ database, stripe: 'sandbox', rateLimitPerMinute: LIMIT }));
    db = apps[0].app.get(DataSource);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  /** The route as `user`, on instance `n` (taken in turn when there is one instance only). */
  const mint = async (n: number, user: string) => {
    const app = apps[n % apps.length];
    return request(app.app.getHttpServer())
      .get(ROUTE)
      .set('Authorization', `Bearer ${await app.token(user)}`);
  };

  it('counts a caller’s requests on every instance against one allowance', async () => {
    const statuses: number[] = [];
    for (const n of [0, 1, 0, 1, 0]) statuses.push((await mint(n, 'limited-seller')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await mint(1, 'limited-seller');
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'too_many_requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another caller has their own allowance, on either instance.
    expect((await mint(1, 'other-seller')).status).toBe(200);
  });

  it('opens a new window once the window and the block have ended', async () => {
    for (let i = 0; i <= LIMIT; i += 1) await mint(i, 'window-seller');
    expect((await mint(0, 'window-seller')).status).toBe(429);
    const past = new Date(Date.now() - 1_000);
    await db.query(
      `UPDATE "stripe_rate_limits" SET "window_ends_at" = $1, "blocked_until" = $1 WHERE "blocked_until" IS NOT NULL`,
      [past],
    );
    const statuses: number[] = [];
    for (const n of [1, 0, 1, 0]) statuses.push((await mint(n, 'window-seller')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('forgets counters long expired, and keeps the live ones', async () => {
    for (let i = 0; i <= LIMIT; i += 1) await mint(i, 'blocked-seller');
    const longAgo = new Date(Date.now() - 2 * 3_600_000);
    await db.query(
      `INSERT INTO "stripe_rate_limits" ("key", "hits", "window_ends_at", "blocked_until") VALUES ($1, 9, $2, $2)`,
      ['expired-key', longAgo],
    );
    const before = await db.query<{ key: string }[]>(`SELECT "key" FROM "stripe_rate_limits"`);
    expect(before.map((row) => row.key)).toContain('expired-key');
    await mint(0, 'forgetting-seller');
    const after = (await db.query<{ key: string }[]>(`SELECT "key" FROM "stripe_rate_limits"`)).map(
      (row) => row.key,
    );
    expect(after).not.toContain('expired-key');
    expect(after).toHaveLength(before.length);
    // A caller blocked a moment ago is still blocked.
    expect((await mint(1, 'blocked-seller')).status).toBe(429);
  });
});
