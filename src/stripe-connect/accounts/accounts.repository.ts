import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, In } from 'typeorm';
import { pageOf, type Page, type PageRequest } from '../common/cursor-page.js';
import { updateGuarded } from '../common/mirror-writer.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { MirrorService } from '../webhooks/mirror.service.js';
import { externalAccountListOf } from './account-mirror.js';
import { Account } from './account.entity.js';
import { ExternalAccount } from './external-account.entity.js';
import { Person } from './person.entity.js';
import type { AccountStatusFilter } from './dto/account-list.dto.js';

export interface AccountListFilter extends PageRequest {
  /** The owner's accounts only; every account when absent. */
  userId?: string;
  type?: string;
  status?: AccountStatusFilter;
}

/** The queries of connected accounts and their external accounts. */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mirror: MirrorService,
  ) {}

  /**
   * An account answered by Stripe outside the webhook path, through the mirror's guarded write (a replayed
   * answer is re-fetched first); with `ownerId`, the owner is set when missing and never replaced (a create
   * flow racing the webhook ends with one row that has its owner).
   */
  async saveSnapshot(account: Stripe.Account, ownerId?: string): Promise<void> {
    await this.mirror.saveAnswer(
      { family: 'account', account, externals: externalAccountListOf(account) },
      account,
    );
    if (ownerId) {
      await this.dataSource
        .createQueryBuilder()
        .update(Account)
        .set({ userId: ownerId })
        .where('id = :id AND user_id IS NULL', { id: account.id })
        .execute();
    }
  }

  /** The platform's authorization on the account, as Stripe answered at `at` (guarded by its own time). */
  saveAuthorization(accountId: string, authorized: boolean, at: Date): Promise<void> {
    return this.mirror.applyDated([
      { op: { family: 'authorization', accountId, authorized }, at, fresh: true },
    ]);
  }

  /** The persons of an account (tombstones left out), oldest first. */
  persons(accountId: string): Promise<Person[]> {
    return this.dataSource
      .getRepository(Person)
      .find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** A person answered by Stripe, through the mirror's guarded write (a replayed answer is re-fetched). */
  async savePerson(person: Stripe.Person): Promise<void> {
    await this.mirror.saveAnswer({ family: 'person', person, deleted: false }, person);
  }

  /**
   * An external account Stripe deleted (its answer dated `at`): the row becomes a tombstone unless it holds a
   * newer state. Stripe's answer is its current state, so it wins a state of the same second.
   */
  async deleteExternalAccount(id: string, at: Date): Promise<void> {
    await this.dataSource.transaction((manager) =>
      updateGuarded(manager, ExternalAccount, id, at, {
        set: ['"deleted_at" = $2', '"snapshot_at" = $2'],
        timeColumn: 'snapshot_at',
        fresh: true,
      }),
    );
  }

  /**
   * A person Stripe deleted (its answer dated `at`): the row becomes a tombstone unless it holds a newer
   * state, so no older state brings it back.
   */
  async deletePerson(id: string, at: Date): Promise<void> {
    await this.dataSource.transaction((manager) =>
      updateGuarded(manager, Person, id, at, {
        set: ['"deleted_at" = $2', '"snapshot_at" = $2'],
        timeColumn: 'snapshot_at',
        fresh: true,
      }),
    );
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(Account).count();
  }

  /** The account a user created with an Idempotency-Key (kept in its metadata), if any. */
  findCreatedWithKey(userId: string, key: string): Promise<Account | null> {
    return this.dataSource
      .getRepository(Account)
      .createQueryBuilder('a')
      .leftJoinAndSelect('a.externalAccounts', 'e')
      .where('a.user_id = :userId', { userId })
      .andWhere(`a.metadata ->> 'idempotency_key' = :key`, { key })
      .getOne();
  }

  exists(id: string): Promise<boolean> {
    return this.dataSource.getRepository(Account).existsBy({ id });
  }

  /** The account if the caller may see it: its owner, or the platform. */
  findVisible(id: string, user: StripeConnectUser): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOne({
      where: user.platform ? { id } : { id, userId: user.id },
      relations: { externalAccounts: true },
    });
  }

  /** The caller's accounts (every account for the platform), newest first. */
  /**
   * A page of accounts, newest first by the time the mirror recorded them, with their bank accounts: the
   * owner's (or, with no `userId`, every account), of one type and status when asked.
   */
  async list(filter: AccountListFilter): Promise<Page<Account>> {
    const query = this.dataSource.getRepository(Account).createQueryBuilder('a');
    if (filter.userId !== undefined)
      query.andWhere('a.user_id = :userId', { userId: filter.userId });
    const scope = query.clone();
    if (filter.type) query.andWhere('a.type = :type', { type: filter.type });
    if (filter.status === 'active')
      query.andWhere(
        'a.charges_enabled AND a.payouts_enabled AND a.authorized AND a.deleted_at IS NULL',
      );
    else if (filter.status === 'restricted')
      query.andWhere(
        'NOT (a.charges_enabled AND a.payouts_enabled) AND a.authorized AND a.deleted_at IS NULL',
      );
    else if (filter.status === 'disconnected')
      query.andWhere('(NOT a.authorized OR a.deleted_at IS NOT NULL)');
    const page = await pageOf(query, filter, { scope });
    if (page.data.length) {
      const externals = await this.dataSource
        .getRepository(ExternalAccount)
        .findBy({ accountId: In(page.data.map((account) => account.id)) });
      for (const account of page.data)
        account.externalAccounts = externals.filter((ext) => ext.accountId === account.id);
    }
    return page;
  }
}
