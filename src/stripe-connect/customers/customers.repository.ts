import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, IsNull } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { pageOf, type Page, type PageRequest } from '../common/cursor-page.js';
import { Customer } from './customer.entity.js';
import { UserAccount } from './user-account.entity.js';

export interface CustomerListFilter extends PageRequest {
  /** Customers living on this connected account; every connected account's when absent. */
  account?: string;
  /** Platform customers (`accountId` null) instead of connected ones. */
  platform?: boolean;
}

/** The queries of customers (platform and connected) and of their links to users (UserAccount). */
@Injectable()
export class CustomersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findAccount(id: string): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOneBy({ id });
  }

  findPlatformCustomer(userId: string): Promise<Customer | null> {
    return this.dataSource.getRepository(Customer).findOneBy({ userId, accountId: IsNull() });
  }

  async findConnectedCustomer(userId: string, accountId: string): Promise<Customer | null> {
    const link = await this.dataSource.getRepository(UserAccount).findOne({
      where: { userId, accountId },
      relations: { customer: true },
    });
    return link?.customer ?? null;
  }

  /**
   * A customer Stripe created for a user, with its link when it lives on a connected account; `replaces` a
   * linked customer Stripe no longer has.
   */
  async saveCreated(
    remote: Stripe.Customer,
    userId: string,
    accountId: string | null,
    replaces?: string,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.upsert(
        Customer,
        {
          id: remote.id,
          livemode: remote.livemode,
          raw: remote as never,
          snapshotAt: new Date(remote.created * 1000),
          accountId,
          userId: accountId ? null : userId,
          email: remote.email ?? null,
          currency: remote.currency ?? null,
        },
        { conflictPaths: ['id'] },
      );
      if (!accountId) return;
      if (replaces) {
        await manager.update(UserAccount, { userId, accountId }, { customerId: remote.id });
      } else {
        await manager
          .createQueryBuilder()
          .insert()
          .into(UserAccount)
          .values({ userId, accountId, customerId: remote.id })
          .orIgnore()
          .execute();
      }
    });
  }

  /** A fresh snapshot of a customer (its default payment method changed), written as Stripe answered it. */
  async saveSnapshot(remote: Stripe.Customer, snapshotAt: Date): Promise<Customer> {
    await this.dataSource.getRepository(Customer).update(
      { id: remote.id },
      {
        raw: remote as never,
        snapshotAt,
        email: remote.email ?? null,
        currency: remote.currency ?? null,
      },
    );
    return this.dataSource.getRepository(Customer).findOneByOrFail({ id: remote.id });
  }

  list(filter: CustomerListFilter): Promise<Page<Customer>> {
    const query = this.dataSource.getRepository(Customer).createQueryBuilder('cu');
    if (filter.platform) query.andWhere('cu.account_id IS NULL');
    else if (filter.account)
      query.andWhere('cu.account_id = :account', { account: filter.account });
    else query.andWhere('cu.account_id IS NOT NULL');
    return pageOf(query, filter);
  }
}
