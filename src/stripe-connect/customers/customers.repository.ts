import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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

  findById(id: string): Promise<Customer | null> {
    return this.dataSource.getRepository(Customer).findOneBy({ id });
  }

  /** A live platform customer (not a connected account's, not deleted). */
  findPlatformCustomerById(id: string): Promise<Customer | null> {
    return this.dataSource
      .getRepository(Customer)
      .findOneBy({ id, accountId: IsNull(), deletedAt: IsNull() });
  }

  async findConnectedCustomer(userId: string, accountId: string): Promise<Customer | null> {
    const link = await this.dataSource.getRepository(UserAccount).findOne({
      where: { userId, accountId },
      relations: { customer: true },
    });
    return link?.customer ?? null;
  }

  /**
   * Links a customer Stripe created for a user (the mirror already holds it): a platform customer gets its
   * user when it has none; a connected one its UserAccount link, which `replaces` a linked customer Stripe no
   * longer has.
   */
  async linkCreated(
    customerId: string,
    userId: string,
    accountId: string | null,
    replaces?: string,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!accountId) {
        await manager
          .createQueryBuilder()
          .update(Customer)
          .set({ userId })
          .where('id = :id AND user_id IS NULL', { id: customerId })
          .execute();
        return;
      }
      if (replaces) {
        await manager.update(UserAccount, { userId, accountId }, { customerId });
      } else {
        await manager
          .createQueryBuilder()
          .insert()
          .into(UserAccount)
          .values({ userId, accountId, customerId })
          .orIgnore()
          .execute();
      }
    });
  }

  list(filter: CustomerListFilter): Promise<Page<Customer>> {
    const query = this.dataSource.getRepository(Customer).createQueryBuilder('cu');
    if (filter.platform) query.andWhere('cu.account_id IS NULL');
    else if (filter.account)
      query.andWhere('cu.account_id = :account', { account: filter.account });
    else query.andWhere('cu.account_id IS NOT NULL');
    return pageOf(query, filter, { scope: query.clone() });
  }
}
