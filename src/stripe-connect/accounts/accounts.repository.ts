import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import {
  lockStripeObject,
  saveUnlessNewer,
  upsertSnapshot,
  upsertSnapshots,
} from '../common/mirror-writer.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { accountValues, externalAccountValues, personValues } from './account-mirror.js';
import { Account } from './account.entity.js';
import { ExternalAccount } from './external-account.entity.js';
import { Person } from './person.entity.js';

/** The queries of connected accounts and their external accounts. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Writes an account snapshot and, when given, its complete list of external accounts (removing those
   * Stripe no longer has). The owner column is not touched.
   */
  async writeSnapshot(
    manager: EntityManager,
    account: Stripe.Account,
    externals: (Stripe.BankAccount | Stripe.Card)[] | null,
    snapshotAt: Date,
  ): Promise<void> {
    await upsertSnapshot(
      manager,
      Account,
      accountValues(account, snapshotAt) as Partial<Account> & { id: string },
    );
    if (!externals) return;
    for (const external of externals) {
      await upsertSnapshot(
        manager,
        ExternalAccount,
        externalAccountValues(external, account.id, snapshotAt) as Partial<ExternalAccount> & {
          id: string;
        },
      );
    }
    const query = manager
      .createQueryBuilder()
      .delete()
      .from(ExternalAccount)
      .where('account_id = :account', { account: account.id })
      .andWhere('(snapshot_at IS NULL OR snapshot_at <= :at)', { at: snapshotAt });
    if (externals.length)
      query.andWhere('id NOT IN (:...kept)', { kept: externals.map((e) => e.id) });
    await query.execute();
  }

  /**
   * A snapshot fetched or answered by Stripe outside the webhook path: written unless the row already holds
   * a newer one; with `ownerId`, the owner is set when missing and never replaced (a create flow racing the
   * webhook ends with one row that has its owner).
   */
  async saveSnapshot(account: Stripe.Account, snapshotAt: Date, ownerId?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await lockStripeObject(manager, account.id);
      const current = await manager
        .createQueryBuilder(Account, 'a')
        .select('a.snapshotAt', 'snapshotAt')
        .where('a.id = :id', { id: account.id })
        .setLock('pessimistic_write')
        .getRawOne<{ snapshotAt: Date | null }>();
      const newer =
        current?.snapshotAt && new Date(current.snapshotAt).getTime() > snapshotAt.getTime();
      if (!newer)
        await this.writeSnapshot(
          manager,
          account,
          account.external_accounts?.data ?? null,
          snapshotAt,
        );
      if (ownerId) {
        await manager
          .createQueryBuilder()
          .update(Account)
          .set({ userId: ownerId })
          .where('id = :id AND user_id IS NULL', { id: account.id })
          .execute();
      }
    });
  }

  /**
   * The persons of a company account as Stripe listed them at `snapshotAt`: each written unless its row holds
   * a newer snapshot; rows of persons Stripe no longer lists, and not newer, removed.
   */
  async savePersons(accountId: string, persons: Stripe.Person[], snapshotAt: Date): Promise<void> {
    for (const person of persons) {
      await saveUnlessNewer(
        this.dataSource,
        Person,
        personValues(person, snapshotAt) as Partial<Person> & { id: string },
        snapshotAt,
      );
    }
    const query = this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Person)
      .where('account_id = :account', { account: accountId })
      .andWhere('(snapshot_at IS NULL OR snapshot_at <= :at)', { at: snapshotAt });
    if (persons.length) query.andWhere('id NOT IN (:...kept)', { kept: persons.map((p) => p.id) });
    await query.execute();
  }

  /**
   * One page of a backfill in one transaction: each account's snapshot with its complete external accounts,
   * and its persons when given, written with the same guarded upsert as the webhook path (a row holding a
   * newer snapshot is left as it is), serialized with other writers of these accounts (their advisory locks,
   * taken in one order). Owners are never touched, except `owner` set where the row has none.
   */
  async writePage(
    entries: {
      account: Stripe.Account;
      externals: (Stripe.BankAccount | Stripe.Card)[];
      persons: Stripe.Person[] | null;
      owner?: string;
    }[],
    snapshotAt: Date,
  ): Promise<void> {
    if (!entries.length) return;
    const ids = entries.map((e) => e.account.id);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(id, 0) AS h FROM unnest($1::text[]) AS id ORDER BY h) AS locks`,
        [ids],
      );
      await upsertSnapshots(
        manager,
        Account,
        entries.map(
          (e) => accountValues(e.account, snapshotAt) as Partial<Account> & { id: string },
        ),
      );
      await this.replaceChildren(
        manager,
        ExternalAccount,
        ids,
        entries.flatMap((e) =>
          e.externals.map(
            (x) =>
              externalAccountValues(x, e.account.id, snapshotAt) as Partial<ExternalAccount> & {
                id: string;
              },
          ),
        ),
        snapshotAt,
      );
      const withPersons = entries.filter((e) => e.persons);
      await this.replaceChildren(
        manager,
        Person,
        withPersons.map((e) => e.account.id),
        withPersons.flatMap((e) =>
          e.persons!.map((p) => personValues(p, snapshotAt) as Partial<Person> & { id: string }),
        ),
        snapshotAt,
      );
      const owned = entries.filter((e) => e.owner);
      if (owned.length) {
        await manager.query(
          `UPDATE "stripe_accounts" AS a SET "user_id" = o.owner
             FROM unnest($1::text[], $2::text[]) AS o(id, owner)
            WHERE a."id" = o.id AND a."user_id" IS NULL`,
          [owned.map((e) => e.account.id), owned.map((e) => e.owner)],
        );
      }
    });
  }

  /**
   * The complete children (external accounts, persons) of `accounts` at `snapshotAt`: upserted with the guard,
   * and those no longer listed removed unless newer.
   */
  private async replaceChildren<T extends ExternalAccount | Person>(
    manager: EntityManager,
    entity: new () => T,
    accounts: string[],
    rows: (Partial<T> & { id: string })[],
    snapshotAt: Date,
  ): Promise<void> {
    if (!accounts.length) return;
    await upsertSnapshots(manager, entity, rows);
    const table = manager.connection.getMetadata(entity).tableName;
    await manager.query(
      `DELETE FROM "${table}" WHERE "account_id" = ANY($1::text[])
          AND ("snapshot_at" IS NULL OR "snapshot_at" <= $2) AND NOT ("id" = ANY($3::text[]))`,
      [accounts, snapshotAt, rows.map((r) => r.id)],
    );
  }

  /** The persons of an account, oldest first. */
  persons(accountId: string): Promise<Person[]> {
    return this.dataSource
      .getRepository(Person)
      .find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** A person answered by Stripe, unless the row holds a newer snapshot. */
  async savePerson(person: Stripe.Person, snapshotAt: Date): Promise<void> {
    await saveUnlessNewer(
      this.dataSource,
      Person,
      personValues(person, snapshotAt) as Partial<Person> & { id: string },
      snapshotAt,
    );
  }

  /** A person Stripe deleted: the row goes unless it holds a newer snapshot. */
  async deletePerson(id: string, at: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Person)
      .where('id = :id', { id })
      .andWhere('(snapshot_at IS NULL OR snapshot_at <= :at)', { at })
      .execute();
  }

  /** Sets the owner of accounts that have none (a backfill reading it from metadata); never replaces one. */
  async adoptOwner(accountId: string, ownerId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(Account)
      .set({ userId: ownerId })
      .where('id = :id AND user_id IS NULL', { id: accountId })
      .execute();
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
  listVisible(
    user: StripeConnectUser,
    page: { limit: number; offset: number },
  ): Promise<Account[]> {
    return this.dataSource.getRepository(Account).find({
      where: user.platform ? {} : { userId: user.id },
      relations: { externalAccounts: true },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }
}
