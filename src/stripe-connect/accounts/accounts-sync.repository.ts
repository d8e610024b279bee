/**
 * The writes of the backfill (`accounts:sync`): a page of accounts in one transaction of a few multi-row
 * statements (one for the accounts, one for their external accounts, one for the persons listed, one for
 * owners, one for the cursor), each row through the mirror's guarded upsert (`guardedUpsertStatement`, the
 * same guard as every webhook write): a row holding a newer state, a tombstone included, is left as it is.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { guardedUpsertStatement, rowsOf } from '../common/mirror-writer.js';
import {
  accountValues,
  externalAccountValues,
  KEEP_NEWER_CAPABILITIES,
  personValues,
} from './account-mirror.js';
import { Account } from './account.entity.js';
import { ExternalAccount } from './external-account.entity.js';
import { Person } from './person.entity.js';

/** One account of a page: its snapshot, its complete external accounts, its persons when listed. */
export interface SyncPageEntry {
  account: Stripe.Account;
  externals: (Stripe.BankAccount | Stripe.Card)[];
  /** Null: the account has no persons API (not listed); an array: every person Stripe lists. */
  persons: Stripe.Person[] | null;
  /** Set as the owner when the row has none (never replaces one). */
  owner?: string;
}

/** Stripe's mode of an account (its children share it). */
const livemodeOf = (account: Stripe.Account) =>
  (account as Stripe.Account & { livemode?: boolean }).livemode ?? false;

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Rows of one statement of external accounts or persons at most: an account can have any number of them, and
 * PostgreSQL takes up to 65,535 parameters (a row has about 15). A page of 100 accounts with one bank account
 * each takes two statements, so the tests go through both ways.
 */
const MAX_ROWS = 64;

/**
 * The complete lists of rows under `entries`' accounts (external accounts or persons), in id order, each
 * through the guarded upsert; then the rows of those accounts the lists no longer hold are tombstoned
 * (unless their own state is newer). The tombstones go with the last upsert: one statement for a page.
 */
async function writeLists<T extends ObjectLiteral & { id: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  entries: SyncPageEntry[],
  rows: (Partial<T> & { id: string })[],
  at: Date,
): Promise<void> {
  if (!entries.length) return;
  const table = manager.connection.getMetadata(entity).tableName;
  const head = [entries.map((e) => e.account.id), at, rows.map((row) => row.id)];
  const tombstone = `UPDATE "${table}" SET "deleted_at" = $2, "snapshot_at" = $2, "updated_at" = now()
     WHERE "account_id" = ANY($1::text[]) AND "deleted_at" IS NULL AND NOT ("id" = ANY($3::text[]))
     AND ("snapshot_at" IS NULL OR "snapshot_at" < $2)`;
  const sorted = [...rows].sort(byId);
  for (let start = 0; start + MAX_ROWS < sorted.length; start += MAX_ROWS) {
    const chunk = guardedUpsertStatement(
      manager,
      entity,
      sorted.slice(start, start + MAX_ROWS),
      at,
      {
        fresh: true,
      },
    );
    await manager.query(chunk.sql, chunk.parameters);
  }
  const rest = sorted.slice(Math.max(0, Math.ceil(sorted.length / MAX_ROWS) - 1) * MAX_ROWS);
  if (!rest.length) {
    await manager.query(tombstone, head);
    return;
  }
  const upsert = guardedUpsertStatement(manager, entity, rest, at, { fresh: true }, head.length);
  // A data-modifying WITH runs to completion; the tombstone's rows are the ones the lists do not hold.
  await manager.query(`WITH "listed" AS (${upsert.sql}) ${tombstone}`, [
    ...head,
    ...upsert.parameters,
  ]);
}

@Injectable()
export class AccountsSyncRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page dated `at` (Stripe's answer: its current state, so it wins a tie), in one transaction, rows in
   * lock order (accounts by id, then external accounts by id, then persons by id, as every writer locks
   * accounts before the rows under them). An account's external accounts are written only when its own
   * snapshot was (the row does not hold a newer one); the complete list tombstones the ones it no longer
   * holds. The persons listed are written each by its own time, and the ones Stripe no longer lists are
   * tombstoned unless their own state is newer. `beforeCommit` runs last in the same transaction (the run's
   * cursor moves there, so a page is either written and passed, or neither).
   */
  async writePage(
    entries: SyncPageEntry[],
    at: Date,
    beforeCommit?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (entries.length) {
        const written = await this.writeAccounts(manager, entries, at);
        await this.writeExternalAccounts(
          manager,
          entries.filter((e) => written.has(e.account.id)),
          at,
        );
        await this.writePersons(
          manager,
          entries.filter((e) => e.persons),
          at,
        );
        await this.setOwners(manager, entries);
      }
      await beforeCommit?.(manager);
    });
  }

  /** The accounts' snapshots, one statement; answers the ids written (the others hold a newer state). */
  private async writeAccounts(
    manager: EntityManager,
    entries: SyncPageEntry[],
    at: Date,
  ): Promise<Set<string>> {
    const unique = new Map(entries.map((e) => [e.account.id, e.account]));
    const rows = [...unique.values()].sort(byId).map(
      (account) =>
        ({ ...accountValues(account, at), capabilitiesAt: {} }) as Partial<Account> & {
          id: string;
        },
    );
    const { sql, parameters } = guardedUpsertStatement(manager, Account, rows, at, {
      fresh: true,
      expressions: KEEP_NEWER_CAPABILITIES,
    });
    const result: unknown = await manager.query(sql, parameters);
    return new Set(rowsOf<{ id: string }>(result).map((row) => row.id));
  }

  /**
   * The complete external-account lists of the accounts written: each row guarded by its own time; the rows
   * of those accounts the lists no longer hold are tombstoned (unless their own state is newer).
   */
  private async writeExternalAccounts(
    manager: EntityManager,
    entries: SyncPageEntry[],
    at: Date,
  ): Promise<void> {
    const rows = new Map<string, Partial<ExternalAccount> & { id: string }>();
    for (const { account, externals } of entries) {
      for (const external of externals) {
        rows.set(external.id, {
          ...externalAccountValues(external, account.id, at, livemodeOf(account)),
          deletedAt: null,
        } as Partial<ExternalAccount> & { id: string });
      }
    }
    await writeLists(manager, ExternalAccount, entries, [...rows.values()], at);
  }

  /** The persons listed, and the tombstones of those Stripe no longer lists. */
  private async writePersons(
    manager: EntityManager,
    entries: SyncPageEntry[],
    at: Date,
  ): Promise<void> {
    const rows = new Map<string, Partial<Person> & { id: string }>();
    for (const { account, persons } of entries) {
      for (const person of persons!) {
        rows.set(person.id, {
          ...personValues(person, at, livemodeOf(account)),
          deletedAt: null,
        } as Partial<Person> & { id: string });
      }
    }
    await writeLists(manager, Person, entries, [...rows.values()], at);
  }

  /** Owners from the accounts' metadata, where the row has none (one is never replaced nor cleared). */
  private async setOwners(manager: EntityManager, entries: SyncPageEntry[]): Promise<void> {
    const owned = entries.filter((e) => e.owner);
    if (!owned.length) return;
    await manager.query(
      `UPDATE "stripe_accounts" AS a SET "user_id" = o.owner
         FROM unnest($1::text[], $2::text[]) AS o(id, owner)
        WHERE a."id" = o.id AND a."user_id" IS NULL`,
      [owned.map((e) => e.account.id), owned.map((e) => e.owner)],
    );
  }
}
