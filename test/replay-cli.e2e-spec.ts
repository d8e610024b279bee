/** `npm run cli -- events:replay`, run as the CLI runs it: its own app context on the configured database. */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { loadDatabaseConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { EventProcessingError, StripeEvent } from '../src/stripe-connect/index.js';
import { eventOf } from './support/stripe-events.js';
import { createTestDatabase } from './support/test-database.js';

describe('events:replay', () => {
  const run = inject('testDatabaseRun');
  const dir = join(run.root, `cli-${process.pid}`);
  const env: Record<string, string> = { PGLITE_DIR: dir, AUTH_JWT_SECRET: 'x'.repeat(32) };
  const failed = eventOf('customer.created', { id: 'cus_replay_me', object: 'customer' });
  const processed = eventOf('customer.updated', { id: 'cus_done', object: 'customer' });

  async function withDb<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
    const db = new DataSource(buildDataSourceOptions(loadDatabaseConfig(env)));
    await db.initialize();
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }

  beforeAll(async () => {
    if (run.adminUrl) {
      const database = await createTestDatabase(run);
      if (database.kind === 'postgres') env.DATABASE_URL = database.url;
    } else {
      await cp(run.template, join(dir, 'pglite'), { recursive: true });
    }
    await withDb(async (db) => {
      const base = { livemode: false, apiVersion: '2026-10-28.endive', accountId: null };
      await db.getRepository(StripeEvent).insert([
        {
          ...base,
          id: failed.id,
          type: failed.type,
          stripeCreatedAt: new Date(failed.created * 1000),
          payload: failed as never,
          status: 'failed',
          attempts: 1,
          lastError: 'listener was down',
        },
        {
          ...base,
          id: processed.id,
          type: processed.type,
          stripeCreatedAt: new Date(processed.created * 1000),
          payload: processed as never,
          status: 'processed',
          attempts: 1,
        },
      ]);
      await db.getRepository(EventProcessingError).insert({
        eventId: failed.id,
        attempt: 1,
        message: 'listener was down',
        stack: null,
      });
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('events:list shows failed events with their errors, and pages', async () => {
    const output = await runCli(['events:list', '--status', 'failed'], env);
    expect(output).toContain(`failed    ${failed.id} customer.created platform attempts=1`);
    expect(output).toContain('    attempt 1: listener was down');
    expect(output).toContain('1 event(s)');
    expect(output).not.toContain(processed.id);
    const all = await runCli(['events:list', '--limit', '1', '--json'], env);
    expect(all.split('\n')).toHaveLength(1);
    const first = JSON.parse(all) as { id: string };
    const next = await runCli(['events:list', '--starting-after', first.id], env);
    expect(next).toContain('1 event(s)');
    expect(next).not.toContain(first.id);
  });

  it('reprocesses failed events by default, with a summary', async () => {
    const output = await runCli(['events:replay'], env);
    expect(output).toContain(`processed ${failed.id} customer.created`);
    expect(output).toContain('1 event(s) replayed: 1 processed, 0 failed, 0 busy');
    const row = await withDb((db) =>
      db.getRepository(StripeEvent).findOneByOrFail({ id: failed.id }),
    );
    expect(row).toMatchObject({ status: 'processed', attempts: 2, lastError: null });
  });

  it('replays what the options select, processed events included', async () => {
    const output = await runCli(
      ['events:replay', '--type', 'customer.updated', '--since', '0'],
      env,
    );
    expect(output).toContain('1 event(s) replayed: 1 processed');
    expect(await runCli(['events:replay', '--id', processed.id, '--failed'], env)).toContain(
      '0 event(s) replayed',
    );
    await expect(runCli(['events:replay', '--since', 'yesterday-ish'], env)).rejects.toThrow(
      '--since',
    );
  });
});
