/**
 * Concurrent requests and transactions must never interleave. On PostgreSQL that is the pool's job; on
 * PGlite, which has a single session, it is the one-connection pool's (src/database/pglite-driver.ts). The
 * same test runs on whichever database the run uses (CI runs it on both).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, In, Like } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('concurrent transactions and writes', () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const accounts = () => dataSource.getRepository(Account);

  it('keeps a rollback rolled back and every concurrent write written', async () => {
    const entered = deferred();
    const writersIssued = deferred();
    const failing = dataSource.transaction(async (manager) => {
      await manager.insert(Account, { id: 'acct_tx_first', type: 'custom' });
      entered.resolve();
      await writersIssued.promise;
      await sleep(20);
      await manager.insert(Account, { id: 'acct_tx_second', type: 'custom' });
      // Inside the transaction its own writes are visible.
      expect(await manager.countBy(Account, { id: Like('acct_tx_%') })).toBe(2);
      throw new Error('payment provider said no');
    });

    await entered.promise;
    // While the transaction is open: twenty writes, a read, and a second transaction that commits.
    const writers = Array.from({ length: 20 }, (_, i) =>
      accounts().insert({ id: `acct_concurrent_${i}`, type: 'express', userId: `u${i}` }),
    );
    const readDuring = accounts().countBy({ id: Like('acct_tx_%') });
    const committing = dataSource.transaction(async (manager) => {
      await manager.insert(Account, { id: 'acct_committed', type: 'standard' });
      await sleep(5);
      await manager.update(Account, { id: 'acct_committed' }, { email: 'seller@example.com' });
    });
    await sleep(30);
    writersIssued.resolve();

    const [failed, committed, read, ...written] = await Promise.allSettled([
      failing,
      committing,
      readDuring,
      ...writers,
    ]);
    expect(failed.status).toBe('rejected');
    expect((failed as PromiseRejectedResult).reason).toHaveProperty(
      'message',
      'payment provider said no',
    );
    expect(committed.status).toBe('fulfilled');
    expect(written.every((result) => result.status === 'fulfilled')).toBe(true);
    // The concurrent read never saw the uncommitted rows of the failing transaction.
    expect(read).toEqual({ status: 'fulfilled', value: 0 });

    expect(await accounts().countBy({ id: In(['acct_tx_first', 'acct_tx_second']) })).toBe(0);
    expect(await accounts().countBy({ id: Like('acct_concurrent_%') })).toBe(20);
    expect(await accounts().findOneByOrFail({ id: 'acct_committed' })).toMatchObject({
      email: 'seller@example.com',
    });
  });

  it('runs many small transactions at once without losing or mixing any', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        dataSource.transaction(async (manager) => {
          await manager.insert(Account, { id: `acct_many_${i}`, type: 'custom' });
          await sleep(i % 3);
          if (i % 5 === 0) throw new Error(`rollback ${i}`);
          await manager.update(Account, { id: `acct_many_${i}` }, { country: 'US' });
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(6);
    const rows = await accounts().findBy({ id: Like('acct_many_%') });
    expect(rows).toHaveLength(24);
    expect(rows.every((row) => row.country === 'US')).toBe(true);
    expect(rows.some((row) => Number(row.id.split('_')[2]) % 5 === 0)).toBe(false);
  });
});
