/**
 * Stripe objects of the accounts domain → the columns of their local mirror rows (no owner: it is never
 * overwritten), and their guarded writes: an older state never replaces a newer one.
 */
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import {
  datedUpsertStatement,
  guardedUpsertStatement,
  newerThan,
  rowsOf,
  upsertGuarded,
  upsertGuardedMany,
  type WriteOutcome,
} from '../common/mirror-writer.js';
import { Account, type AccountType } from './account.entity.js';
import { ExternalAccount } from './external-account.entity.js';
import { Person } from './person.entity.js';

type Raw = Record<string, unknown>;

function toDate(unix: number | null | undefined): Date | null {
  return typeof unix === 'number' ? new Date(unix * 1000) : null;
}

/** `requirements.currently_due` and `past_due`, merged without duplicates, sorted. */
export function verificationFieldsNeeded(
  requirements: Stripe.Account.Requirements | null | undefined,
): string[] {
  return [
    ...new Set([...(requirements?.currently_due ?? []), ...(requirements?.past_due ?? [])]),
  ].sort();
}

export function accountValues(
  account: Stripe.Account,
  snapshotAt: Date,
  livemode = (account as Stripe.Account & { livemode?: boolean }).livemode ?? false,
): Omit<Partial<Account>, 'userId'> {
  const requirements = account.requirements ?? null;
  return {
    id: account.id,
    livemode,
    raw: account as unknown as Raw,
    snapshotAt,
    type: (account.type ?? 'none') as AccountType,
    country: account.country ?? null,
    defaultCurrency: account.default_currency ?? null,
    email: account.email ?? null,
    businessType: account.business_type ?? null,
    businessProfile: (account.business_profile ?? {}) as Raw,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    detailsSubmitted: account.details_submitted ?? false,
    requirements: (requirements ?? {}) as Raw,
    futureRequirements: (account.future_requirements ?? {}) as Raw,
    verificationDueBy: toDate(requirements?.current_deadline),
    verificationFieldsNeeded: verificationFieldsNeeded(requirements),
    disabledReason: requirements?.disabled_reason ?? null,
    capabilities: { ...(account.capabilities ?? {}) },
    tosAcceptance: (account.tos_acceptance ?? {}) as Raw,
    metadata: { ...(account.metadata ?? {}) },
  };
}

export function externalAccountValues(
  external: Stripe.BankAccount | Stripe.Card,
  accountId: string,
  snapshotAt: Date,
  livemode = false,
): Partial<ExternalAccount> {
  const bank = external.object === 'bank_account' ? external : null;
  const card = external.object === 'card' ? external : null;
  return {
    id: external.id,
    livemode,
    raw: external as unknown as Raw,
    snapshotAt,
    accountId,
    object: external.object,
    bankName: bank?.bank_name ?? card?.brand ?? null,
    last4: external.last4 ?? null,
    country: external.country ?? null,
    currency: external.currency ?? null,
    defaultForCurrency: external.default_for_currency ?? false,
    status: bank?.status ?? card?.status ?? null,
    fingerprint: external.fingerprint ?? null,
  };
}

export function personValues(
  person: Stripe.Person,
  snapshotAt: Date,
  livemode = false,
): Partial<Person> {
  return {
    id: person.id,
    livemode,
    raw: person as unknown as Raw,
    snapshotAt,
    accountId: person.account,
    firstName: person.first_name ?? null,
    lastName: person.last_name ?? null,
    email: person.email ?? null,
    relationship: (person.relationship ?? {}) as Raw,
    requirements: (person.requirements ?? {}) as Raw,
    verificationStatus: person.verification?.status ?? null,
  };
}

/** The external accounts an account snapshot lists: `complete` only when Stripe's list had no more pages. */
export interface ExternalAccountList {
  data: (Stripe.BankAccount | Stripe.Card)[];
  complete: boolean;
}

/** The nested list of an account object, as given: complete only without `has_more`. */
export function externalAccountListOf(account: Stripe.Account): ExternalAccountList | null {
  const list = account.external_accounts;
  return list ? { data: list.data, complete: !list.has_more } : null;
}

/**
 * Capabilities newer than the incoming snapshot (per their own time, `capabilities_at`) are kept; the
 * others take the snapshot's.
 */
export const KEEP_NEWER_CAPABILITIES = {
  capabilities: `EXCLUDED."capabilities" || COALESCE((SELECT jsonb_object_agg(c.key, "stripe_accounts"."capabilities" -> c.key) FROM jsonb_each_text("stripe_accounts"."capabilities_at") c WHERE c.value::timestamptz > EXCLUDED."snapshot_at"), '{}'::jsonb)`,
  capabilities_at: `COALESCE((SELECT jsonb_object_agg(c.key, c.value) FROM jsonb_each_text("stripe_accounts"."capabilities_at") c WHERE c.value::timestamptz > EXCLUDED."snapshot_at"), '{}'::jsonb)`,
};

/**
 * An account snapshot and the external accounts it lists. Each row is guarded by its own time. When the list
 * is complete, external accounts it no longer holds are tombstoned (unless their own state is newer); a
 * partial list (`has_more`) only adds and updates. Rows are written in one order (the account, then its
 * external accounts by id), as every writer does.
 */
export async function writeAccount(
  manager: EntityManager,
  account: Stripe.Account,
  externals: ExternalAccountList | null,
  at: Date,
  options: { fresh?: boolean; livemode?: boolean } = {},
): Promise<WriteOutcome> {
  const outcome = await upsertGuarded(
    manager,
    Account,
    { ...accountValues(account, at, options.livemode), capabilitiesAt: {} } as Partial<Account> & {
      id: string;
    },
    at,
    { fresh: options.fresh, expressions: KEEP_NEWER_CAPABILITIES },
  );
  if (outcome !== 'written' || !externals) return outcome;
  await writeExternalAccountList(manager, account.id, externals, at, options);
  return outcome;
}

/** One account snapshot of `writeAccounts`. */
export interface DatedAccount {
  account: Stripe.Account;
  externals: ExternalAccountList | null;
  at: Date;
  livemode?: boolean;
}

/**
 * `writeAccount` of several accounts (distinct, in id order; states carried by events, never `fresh`): the
 * accounts in one statement, then the external accounts of those written in one more (their tombstones
 * included), whatever their number.
 */
export async function writeAccounts(
  manager: EntityManager,
  items: DatedAccount[],
  options: { storable?: boolean } = {},
): Promise<WriteOutcome[]> {
  const outcomes = await upsertGuardedMany(
    manager,
    Account,
    items.map(({ account, at, livemode }) => ({
      values: {
        ...accountValues(account, at, livemode),
        capabilitiesAt: {},
      } as Partial<Account> & {
        id: string;
      },
      at,
    })),
    { expressions: KEEP_NEWER_CAPABILITIES, storable: options.storable },
  );
  const lists = items.filter((item, index) => outcomes[index] === 'written' && item.externals);
  if (lists.length) await writeExternalAccountLists(manager, lists, options);
  return outcomes;
}

/**
 * The external accounts of several account snapshots in one statement: every row guarded by its own time,
 * in id order; for each complete list, the account's rows it no longer holds are tombstoned in the same
 * statement (unless their own state is newer). External account ids are unique across accounts.
 */
async function writeExternalAccountLists(
  manager: EntityManager,
  items: DatedAccount[],
  options: { storable?: boolean },
): Promise<void> {
  const rows = items
    .flatMap(({ account, externals, at, livemode }) =>
      [...new Map((externals?.data ?? []).map((external) => [external.id, external])).values()].map(
        (external) => ({
          values: {
            ...externalAccountValues(external, account.id, at, livemode),
            deletedAt: null,
          } as Partial<ExternalAccount> & { id: string },
          at,
        }),
      ),
    )
    .sort((a, b) => (a.values.id < b.values.id ? -1 : 1));
  const complete = items.filter((item) => item.externals?.complete);
  const tombstone = `UPDATE "stripe_external_accounts" AS "x" SET "deleted_at" = "l"."at", "snapshot_at" = "l"."at", "updated_at" = now()
       FROM unnest($1::text[], $2::timestamptz[]) AS "l"("account_id", "at")
       WHERE "x"."account_id" = "l"."account_id" AND "x"."deleted_at" IS NULL
       AND NOT ("x"."id" = ANY($3::text[])) AND ("x"."snapshot_at" IS NULL OR "x"."snapshot_at" < "l"."at")`;
  const head = [
    complete.map((item) => item.account.id),
    complete.map((item) => item.at.toISOString()),
    rows.map((row) => row.values.id),
  ];
  if (!rows.length) {
    if (complete.length) await manager.query(tombstone, head);
    return;
  }
  const statement = datedUpsertStatement(
    manager,
    ExternalAccount,
    rows,
    { storable: options.storable },
    complete.length ? head.length : 0,
  );
  if (!complete.length) {
    await manager.query(statement.sql, statement.parameters);
    return;
  }
  await manager.query(`WITH "listed" AS (${statement.sql}) ${tombstone}`, [
    ...head,
    ...statement.parameters,
  ]);
}

/**
 * The external accounts of an account snapshot, in one statement: every row guarded by its own time, in id
 * order; when the list is complete, the rows it no longer holds are tombstoned in the same statement (unless
 * their own state is newer).
 */
async function writeExternalAccountList(
  manager: EntityManager,
  accountId: string,
  externals: ExternalAccountList,
  at: Date,
  options: { fresh?: boolean; livemode?: boolean },
): Promise<void> {
  const byId = new Map(externals.data.map((external) => [external.id, external]));
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const tombstone = `UPDATE "stripe_external_accounts" SET "deleted_at" = $2, "snapshot_at" = $2, "updated_at" = now()
       WHERE "account_id" = $1 AND "deleted_at" IS NULL AND NOT ("id" = ANY($3::text[]))
       AND ("snapshot_at" IS NULL OR "snapshot_at" < $2)`;
  const head = [accountId, at, sorted.map((e) => e.id)];
  if (!sorted.length) {
    if (externals.complete) await manager.query(tombstone, head);
    return;
  }
  const upsert = guardedUpsertStatement(
    manager,
    ExternalAccount,
    sorted.map(
      (external) =>
        ({
          ...externalAccountValues(external, accountId, at, options.livemode),
          deletedAt: null,
        }) as Partial<ExternalAccount> & { id: string },
    ),
    at,
    { fresh: options.fresh },
    externals.complete ? head.length : 0,
  );
  if (!externals.complete) {
    await manager.query(upsert.sql, upsert.parameters);
    return;
  }
  // A data-modifying WITH runs to completion; the tombstone's rows are the ones the list does not hold.
  await manager.query(`WITH "listed" AS (${upsert.sql}) ${tombstone}`, [
    ...head,
    ...upsert.parameters,
  ]);
}

/** An external account's state, or its tombstone (`deleted`): a later re-creation revives it. */
export function writeExternalAccount(
  manager: EntityManager,
  external: Stripe.BankAccount | Stripe.Card,
  accountId: string,
  at: Date,
  options: { fresh?: boolean; livemode?: boolean; deleted?: boolean } = {},
): Promise<WriteOutcome> {
  return upsertGuarded(
    manager,
    ExternalAccount,
    {
      ...externalAccountValues(external, accountId, at, options.livemode),
      deletedAt: options.deleted ? at : null,
    } as Partial<ExternalAccount> & { id: string },
    at,
    { fresh: options.fresh },
  );
}

/** A person's state, or its tombstone (`deleted`). */
export function writePerson(
  manager: EntityManager,
  person: Stripe.Person,
  at: Date,
  options: { fresh?: boolean; livemode?: boolean; deleted?: boolean } = {},
): Promise<WriteOutcome> {
  return upsertGuarded(
    manager,
    Person,
    {
      ...personValues(person, at, options.livemode),
      deletedAt: options.deleted ? at : null,
    } as Partial<Person> & { id: string },
    at,
    { fresh: options.fresh },
  );
}

/**
 * One capability's status, with its own time: applied only when newer than both the capability's last
 * time and the account snapshot's.
 */
export async function writeCapability(
  manager: EntityManager,
  accountId: string,
  capability: Stripe.Capability,
  at: Date,
  options: { fresh?: boolean } = {},
): Promise<WriteOutcome> {
  const timeOf = (name: string) =>
    `COALESCE(("stripe_accounts"."capabilities_at" ->> ${name}::text)::timestamptz, "stripe_accounts"."snapshot_at")`;
  const time = timeOf('$3');
  const result: unknown = await manager.query(
    `UPDATE "stripe_accounts" SET
       "capabilities" = "capabilities" || jsonb_build_object($3::text, $4::text),
       "capabilities_at" = "capabilities_at" || jsonb_build_object($3::text, to_char($2::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
       "updated_at" = now()
     WHERE "id" = $1 AND (${time} IS NULL OR ${time} ${options.fresh ? '<=' : '<'} $2::timestamptz)
     RETURNING "id"`,
    [accountId, at, capability.id, capability.status],
  );
  if (rowsOf(result).length) return 'written';
  const current = rowsOf<{ at: Date | string | null }>(
    await manager.query(`SELECT ${timeOf('$2')} AS "at" FROM "stripe_accounts" WHERE "id" = $1`, [
      accountId,
      capability.id,
    ]),
  );
  if (!current.length) return 'absent';
  const held = current[0].at ? new Date(current[0].at).getTime() : null;
  return held === at.getTime() ? 'tie' : 'newer';
}

/**
 * The platform's authorization on the account, with its own time (`authorized_at`). A deauthorization for an
 * account the mirror does not hold leaves a row (type `none`) that remembers it. A tie is settled by asking
 * Stripe (`fresh`).
 */
export async function writeAuthorization(
  manager: EntityManager,
  accountId: string,
  authorized: boolean,
  at: Date,
  options: { fresh?: boolean } = {},
): Promise<WriteOutcome> {
  const result: unknown = await manager.query(
    `INSERT INTO "stripe_accounts" ("id", "type", "authorized", "authorized_at") VALUES ($1, 'none', $2, $3)
     ON CONFLICT ("id") DO UPDATE SET "authorized" = EXCLUDED."authorized",
       "authorized_at" = EXCLUDED."authorized_at", "updated_at" = now()
     WHERE ${newerThan('"stripe_accounts"."authorized_at"', 'EXCLUDED."authorized_at"', !!options.fresh)}
     RETURNING "id"`,
    [accountId, authorized, at],
  );
  if (rowsOf(result).length) return 'written';
  const current = rowsOf<{ at: Date | string | null }>(
    await manager.query(`SELECT "authorized_at" AS "at" FROM "stripe_accounts" WHERE "id" = $1`, [
      accountId,
    ]),
  );
  const held = current[0]?.at ? new Date(current[0].at).getTime() : null;
  return held === at.getTime() ? 'tie' : 'newer';
}
