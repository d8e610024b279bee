import { DataSource, QueryFailedError } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Customer, UserAccount } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('UserAccount constraints', () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
    await dataSource.getRepository(Account).insert([
      { id: 'acct_seller1', type: 'custom', userId: 'seller-1' },
      { id: 'acct_seller2', type: 'express', userId: 'seller-2' },
    ]);
    await dataSource.getRepository(Customer).insert([
      { id: 'cus_on1_a', accountId: 'acct_seller1' },
      { id: 'cus_on1_b', accountId: 'acct_seller1' },
      { id: 'cus_on2_a', accountId: 'acct_seller2' },
      { id: 'cus_platform', accountId: null, userId: 'buyer-1' },
    ]);
  });
  afterAll(() => t.close());

  const links = () => dataSource.getRepository(UserAccount);

  it('links a user to their customer on a connected account', async () => {
    await links().insert({ userId: 'buyer-1', accountId: 'acct_seller1', customerId: 'cus_on1_a' });
    const link = await links().findOneOrFail({
      where: { userId: 'buyer-1', accountId: 'acct_seller1' },
      relations: { customer: true, account: true },
    });
    expect(link.customer.id).toBe('cus_on1_a');
    expect(link.account.userId).toBe('seller-1');
  });

  it('refuses a second link for the same user and account', async () => {
    const error = await links()
      .insert({ userId: 'buyer-1', accountId: 'acct_seller1', customerId: 'cus_on1_b' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
      '23505',
    );
    expect(String((error as Error).message)).toContain(
      'uq_stripe_user_accounts_user_id_account_id',
    );
    expect(await links().countBy({ userId: 'buyer-1', accountId: 'acct_seller1' })).toBe(1);
  });

  it('refuses a customer that lives on another account', async () => {
    const error = await links()
      .insert({ userId: 'buyer-2', accountId: 'acct_seller1', customerId: 'cus_on2_a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
      '23503',
    );
    expect(await links().countBy({ userId: 'buyer-2' })).toBe(0);
  });

  it('refuses a platform customer as a connected customer', async () => {
    await expect(
      links().insert({ userId: 'buyer-1', accountId: 'acct_seller2', customerId: 'cus_platform' }),
    ).rejects.toBeInstanceOf(QueryFailedError);
  });

  it('refuses one customer for two users', async () => {
    await expect(
      links().insert({ userId: 'buyer-3', accountId: 'acct_seller1', customerId: 'cus_on1_a' }),
    ).rejects.toThrow('uq_stripe_user_accounts_customer_id');
  });

  it('lets the same user link to another account', async () => {
    await links().insert({ userId: 'buyer-1', accountId: 'acct_seller2', customerId: 'cus_on2_a' });
    expect(await links().countBy({ userId: 'buyer-1' })).toBe(2);
  });

  it('keeps one platform customer per user', async () => {
    await expect(
      dataSource
        .getRepository(Customer)
        .insert({ id: 'cus_platform_dup', accountId: null, userId: 'buyer-1' }),
    ).rejects.toThrow('uq_stripe_customers_platform_user_id');
  });
});
