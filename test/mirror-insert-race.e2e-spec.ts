/**
 * Two writers inserting one new object at the same moment (an API answer and its webhook, two instances):
 * `INSERT … ON CONFLICT (id)` arbitrates only on the primary key, so on PostgreSQL the customers' second unique
 * index `(id, account_id)` refused the later writer now and then (a 500 of `POST …/customers` once in CI). Every
 * write must succeed and the newer state must win. On PGlite (one connection) the writers take turns.
 */
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Customer, MirrorService } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PAIRS = 400;
const ACCOUNT = 'acct_insert_race';

function customer(id: string, email: string): Stripe.Customer {
  return {
    id,
    object: 'customer',
    created: 1_790_000_000,
    livemode: false,
    email,
    currency: null,
    metadata: {},
  } as unknown as Stripe.Customer;
}

describe('two writers inserting one new object at once', () => {
  let t: TestApp;
  let db: DataSource;
  let mirror: MirrorService;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    mirror = t.app.get(MirrorService);
    await db.getRepository(Account).insert({ id: ACCOUNT, type: 'custom', userId: 'race-seller' });
  });
  afterAll(() => t.close());

  it('both succeed and the newer state wins, for every new customer', async () => {
    const older = new Date(1_790_000_000_000);
    const newer = new Date(1_790_000_001_000);
    const write = (id: string, email: string, at: Date) =>
      mirror.applyDated([
        {
          op: {
            family: 'customer',
            accountId: ACCOUNT,
            customer: customer(id, email),
            deleted: false,
          },
          at,
          fresh: true,
        },
      ]);
    const failures: unknown[] = [];
    for (let i = 0; i < PAIRS; i += 1) {
      const id = `cus_race_${i}`;
      const results = await Promise.allSettled([
        write(id, 'old@example.com', older),
        write(id, 'new@example.com', newer),
      ]);
      for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
    }
    expect(failures.map((error) => String(error))).toEqual([]);
    const rows = await db.getRepository(Customer).findBy({ accountId: ACCOUNT });
    expect(rows).toHaveLength(PAIRS);
    expect(rows.filter((row) => row.email !== 'new@example.com')).toEqual([]);
  });
});
