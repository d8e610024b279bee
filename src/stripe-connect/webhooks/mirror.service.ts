/**
 * The one way into the mirror: webhooks, API answers, re-fetches and the backfill all hand it typed
 * operations (`MirrorOp`) with the Stripe time of the state they carry. Every write is guarded by that time
 * inside its statement; a tie (Stripe's `created` has one-second resolution) is settled by re-fetching the
 * object, outside any transaction; an API answer replayed by Stripe (`Idempotent-Replayed`) is never taken
 * for the current state.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import {
  externalAccountListOf,
  writeAccount,
  writeAccounts,
  writeAuthorization,
  writeCapability,
  writeExternalAccount,
  writePerson,
} from '../accounts/account-mirror.js';
import { Account } from '../accounts/account.entity.js';
import { Charge } from '../charges/charge.entity.js';
import {
  writeApplicationFee,
  writeChargeObject,
  writeDispute,
  writePaymentIntent,
  writeRefund,
} from '../charges/charge-mirror.js';
import type { WriteOutcome } from '../common/mirror-writer.js';
import { storableText } from '../common/postgres-text.js';
import { writeCustomer, writeCustomers } from '../customers/customer-mirror.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { idOf } from '../stripe/stripe-id.js';
import { isReplayed, stripeTimeOf } from '../stripe/stripe-time.js';
import { STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';
import { writePayout, writeTransfer } from '../transfers/transfer-mirror.js';
import { accountsOf, compareLockOrder, rowIdOf, type MirrorOp } from './mirror-op.js';

/** An operation with the Stripe time of its state; `fresh`: Stripe's current state (wins a tie). */
export interface DatedOp {
  op: MirrorOp;
  at: Date;
  fresh: boolean;
}

export interface ApplyOptions {
  /** Stripe's mode of the objects (the event's `livemode`); default: the mode of the secret key. */
  livemode?: boolean;
  /**
   * More work inside the same transaction (e.g. recording the sync on the event), run FIRST, before the
   * writes: every path locks its events' rows before the objects' rows, so transactions never wait in a cycle.
   */
  within?: (manager: EntityManager) => Promise<void>;
}

/** One event's operations in `applyBatch`: the Stripe time and mode of the state they carry. */
export interface BatchEntry {
  ops: MirrorOp[];
  at: Date;
  livemode: boolean;
}

/**
 * A batch that cannot be written as one transaction without a decision only Stripe can make (two states of
 * one object with the same Stripe second, or a row holding a state of that second): its events are to be
 * written one by one (`apply`), which settles ties by re-fetching.
 */
export class BatchConflictError extends Error {}

const MAX_ATTEMPTS = 3;

class SnapshotTie extends Error {}

/**
 * Families whose operations write one whole row named by `rowIdOf`: several states of one such row in a batch
 * come down to the newest (the guard would leave the older ones unwritten anyway).
 */
const COALESCED = new Set<MirrorOp['family']>([
  'account',
  'external_account',
  'person',
  'customer',
  'payment_intent',
  'refund',
  'application_fee',
  'transfer',
  'payout',
]);

/**
 * Families whose every account reference (`accountsOf`) is a foreign key to `stripe_accounts`: a missing
 * account makes their write fail, so it need not be looked for before.
 */
const ACCOUNT_ENFORCED = new Set<MirrorOp['family']>([
  'customer',
  'external_account',
  'person',
  'payout',
]);

/** PostgreSQL's SQLSTATE of an error, as TypeORM wraps it (PostgreSQL and PGlite). */
function sqlStateOf(error: unknown): unknown {
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return driver?.code ?? (error as { code?: unknown } | null)?.code;
}

/** `foreign_key_violation`. */
const isForeignKeyViolation = (error: unknown) => sqlStateOf(error) === '23503';

/**
 * `unique_violation`. `INSERT … ON CONFLICT (id)` only arbitrates on the primary key: when two writers insert
 * one new object at the same moment (an API answer and its webhook), a second unique index on the row (e.g.
 * customers' `(id, account_id)`, the target of UserAccount's foreign key) can refuse the later one instead.
 * Run again, the write finds the committed row and takes the guarded update path.
 */
const isUniqueViolation = (error: unknown) => sqlStateOf(error) === '23505';
/**
 * `deadlock_detected`: two instances' transactions took row locks of the same objects in different orders (a
 * group commit's multi-row statements beside another's single write); PostgreSQL rolled this one back whole, so
 * it is run again like an insert race.
 */
const isDeadlock = (error: unknown) => sqlStateOf(error) === '40P01';
const MAX_INSERT_RACES = 3;

@Injectable()
export class MirrorService {
  private readonly livemode: boolean;

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STRIPE_CONNECT_OPTIONS) options: ResolvedStripeConnectOptions,
  ) {
    this.livemode = options.stripe.available && /^(sk|rk)_live_/.test(options.stripe.secretKey);
  }

  /**
   * Writes operations that carry a state of time `at` (an event's `created`), in one transaction, in lock
   * order. Rows holding a newer state are left alone; ties are re-fetched from Stripe (outside the
   * transaction) and written as Stripe's current state.
   */
  async apply(ops: MirrorOp[], at: Date, options: ApplyOptions = {}): Promise<void> {
    await this.applyDated(
      ops.map((op) => ({ op, at, fresh: false })),
      options,
    );
  }

  /**
   * Writes the object of an API answer. A fresh answer is dated by its `Date` header and wins a tie; a
   * replayed one (`Idempotent-Replayed: true`) is the first request's object, so the current state is
   * re-fetched and written instead.
   */
  async saveAnswer(op: MirrorOp, answer: unknown): Promise<void> {
    if (isReplayed(answer)) {
      const fresh = await this.refetch(op);
      if (fresh) await this.applyDated([fresh]);
      return;
    }
    await this.applyDated([{ op, at: stripeTimeOf(answer), fresh: true }]);
  }

  /** Writes the current state of the operation's object, re-fetched from Stripe. */
  async refresh(op: MirrorOp): Promise<void> {
    const fresh = await this.refetch(op);
    if (fresh) await this.applyDated([fresh]);
  }

  async applyDated(dated: DatedOp[], options: ApplyOptions = {}): Promise<void> {
    let planned = await Promise.all(
      dated.map(async (d) => ({ ...d, op: await this.prepare(d.op) })),
    );
    // Rows whose accounts a foreign key demands are written first and the accounts fetched only when the
    // database refuses them (one read saved per event); other operations check beforehand.
    let ensured = planned.some((d) => !ACCOUNT_ENFORCED.has(d.op.family));
    if (ensured) await this.ensureAccounts(planned.map((d) => d.op));
    planned.sort((a, b) => compareLockOrder(a.op, b.op));
    const livemode = options.livemode ?? this.livemode;
    if (!planned.length) {
      // Nothing to write: the work that follows the writes needs no transaction of its own.
      await options.within?.(this.dataSource.manager);
      return;
    }
    let races = 0;
    for (let attempt = 1; ; attempt += 1) {
      const ties: number[] = [];
      try {
        await this.dataSource.transaction(async (manager) => {
          await options.within?.(manager);
          for (const [index, { op, at, fresh }] of planned.entries()) {
            if ((await this.write(manager, op, at, { fresh, livemode })) === 'tie')
              ties.push(index);
          }
          if (ties.length) throw new SnapshotTie();
        });
        return;
      } catch (error) {
        if (!ensured && isForeignKeyViolation(error)) {
          ensured = true;
          attempt -= 1;
          await this.ensureAccounts(planned.map((d) => d.op));
          continue;
        }
        if ((isUniqueViolation(error) || isDeadlock(error)) && races < MAX_INSERT_RACES) {
          races += 1;
          attempt -= 1;
          continue;
        }
        if (!(error instanceof SnapshotTie) || attempt >= MAX_ATTEMPTS) throw error;
      }
      // No transaction is open: settle each tie with Stripe's current state (or keep the row when Stripe
      // cannot be asked: an account that disconnected).
      // A state read after seeing one of time `at` is at least as new as it (whatever the answer's clock).
      const settled = await Promise.all(
        planned.map(async (d, index) => {
          if (!ties.includes(index)) return d;
          const fresh = await this.refetch(d.op);
          return fresh && { ...fresh, at: new Date(Math.max(fresh.at.getTime(), d.at.getTime())) };
        }),
      );
      planned = settled.filter((d): d is DatedOp => d !== null);
    }
  }

  /**
   * Writes the operations of several stored events (a group commit) in ONE transaction, after `within` in it
   * (their text is storable: PostgreSQL stored their payloads):
   * several states of one object come down to the newest, the rest is written in lock order, accounts and
   * customers as one multi-row statement per family. Work that needs Stripe (listing external accounts,
   * fetching missing accounts) is done before the transaction opens. Throws `BatchConflictError` when a tie
   * needs Stripe's answer, and whatever the database refused (a foreign key, a lost claim): nothing is written
   * then, and the caller writes the events one by one.
   */
  async applyBatch(
    entries: BatchEntry[],
    within: (manager: EntityManager) => Promise<void>,
    options: {
      /** Runs first in the transaction; answers which entries to write (e.g. the events a claim took). */
      first?: (manager: EntityManager) => Promise<boolean[]>;
    } = {},
  ): Promise<void> {
    const planned = await Promise.all(
      entries.flatMap(({ ops, at, livemode }, entry) =>
        ops.map(async (op) => {
          // What Stripe answered while preparing was not stored: it is made storable like any answer.
          const prepared = await this.prepare(op);
          return { op: prepared === op ? op : storableText(prepared), at, livemode, entry };
        }),
      ),
    );
    if (planned.some((d) => !ACCOUNT_ENFORCED.has(d.op.family)))
      await this.ensureAccounts(planned.map((d) => d.op));
    await this.dataSource.transaction(async (manager) => {
      const wanted = options.first ? await options.first(manager) : null;
      // The events' rows before the objects' (as in applyDated).
      await within(manager);
      await this.writeBatch(manager, wanted ? planned.filter((d) => wanted[d.entry]) : planned);
    });
  }

  /** The writes of `applyBatch`, in its transaction: the newest state of each row, in lock order. */
  private async writeBatch(
    manager: EntityManager,
    planned: { op: MirrorOp; at: Date; livemode: boolean }[],
  ): Promise<void> {
    const newest = new Map<string, (typeof planned)[number]>();
    const kept: typeof planned = [];
    for (const dated of planned) {
      if (!COALESCED.has(dated.op.family)) {
        kept.push(dated);
        continue;
      }
      const key = `${dated.op.family} ${rowIdOf(dated.op)}`;
      const held = newest.get(key);
      if (held && held.at.getTime() === dated.at.getTime())
        throw new BatchConflictError(`two states of ${rowIdOf(dated.op)} of the same second`);
      if (!held || held.at < dated.at) newest.set(key, dated);
    }
    kept.push(...newest.values());
    kept.sort((a, b) => compareLockOrder(a.op, b.op));
    const outcomes: WriteOutcome[] = [];
    for (let i = 0; i < kept.length;) {
      const family = kept[i].op.family;
      let end = i + 1;
      while (end < kept.length && kept[end].op.family === family) end += 1;
      const run = kept.slice(i, end);
      if (family === 'account') {
        outcomes.push(
          ...(await writeAccounts(
            manager,
            run.map(({ op, at, livemode }) => {
              const { account, externals } = op as MirrorOp & { family: 'account' };
              return { account, externals, at, livemode };
            }),
            { storable: true },
          )),
        );
      } else if (family === 'customer') {
        outcomes.push(
          ...(await writeCustomers(
            manager,
            run.map(({ op, at }) => {
              const { customer, accountId, deleted } = op as MirrorOp & { family: 'customer' };
              return { customer, accountId, at, deleted };
            }),
            { storable: true },
          )),
        );
      } else {
        for (const { op, at, livemode } of run)
          outcomes.push(await this.write(manager, op, at, { fresh: false, livemode }));
      }
      i = end;
    }
    if (outcomes.includes('tie'))
      throw new BatchConflictError('a row holds a state of the same second');
  }

  /** The guarded write of one operation. */
  write(
    manager: EntityManager,
    op: MirrorOp,
    at: Date,
    options: { fresh: boolean; livemode: boolean },
  ): Promise<WriteOutcome> {
    const { fresh, livemode } = options;
    switch (op.family) {
      case 'account':
        return writeAccount(manager, op.account, op.externals, at, { fresh, livemode });
      case 'authorization':
        return writeAuthorization(manager, op.accountId, op.authorized, at, { fresh });
      case 'capability':
        return writeCapability(manager, op.accountId, op.capability, at, { fresh });
      case 'external_account':
        return writeExternalAccount(manager, op.external, op.accountId, at, {
          fresh,
          livemode,
          deleted: op.deleted,
        });
      case 'person':
        return writePerson(manager, op.person, at, { fresh, livemode, deleted: op.deleted });
      case 'customer':
        return writeCustomer(manager, op.customer, op.accountId, at, {
          fresh,
          deleted: op.deleted,
        });
      case 'payment_intent':
        return writePaymentIntent(manager, op.intent, op.accountId, at, { fresh });
      case 'charge':
        return this.writeCharge(manager, op, at, fresh);
      case 'dispute':
        return writeDispute(manager, op.paymentIntentId);
      case 'refund':
        return writeRefund(manager, op.refund, op.accountId, at, { fresh, livemode });
      case 'application_fee':
        return writeApplicationFee(manager, op.fee, at, { fresh });
      case 'transfer':
        return writeTransfer(manager, op.transfer, at, { fresh });
      case 'payout':
        return writePayout(manager, op.payout, op.accountId, at, { fresh });
    }
  }

  private async writeCharge(
    manager: EntityManager,
    op: MirrorOp & { family: 'charge' },
    at: Date,
    fresh: boolean,
  ): Promise<WriteOutcome> {
    if (op.intent)
      await writePaymentIntent(manager, op.intent.intent, op.accountId, op.intent.at, {
        fresh: true,
      });
    return writeChargeObject(manager, op.charge, at, { fresh });
  }

  /**
   * Stripe's current state of the operation's object, dated by the answer; a deleted object becomes its
   * tombstone. Null when Stripe cannot be asked (the account disconnected from the platform).
   */
  async refetch(op: MirrorOp): Promise<DatedOp | null> {
    if (op.family === 'authorization') return this.refetchAuthorization(op.accountId);
    const account = this.accountOfRow(op);
    if (account && !(await this.reachable(account))) return null;
    const as = account ? { stripeAccount: account } : undefined;
    try {
      const fetched = await this.fetch(op, as);
      if (!fetched) return null;
      return { op: await this.prepare(fetched.op), at: fetched.at, fresh: true };
    } catch (error) {
      if (error instanceof Stripe.errors.StripePermissionError) return null;
      if (error instanceof Stripe.errors.StripeError && error.code === 'account_invalid')
        return null;
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
        const at = stripeTimeOf(error);
        if (op.family === 'external_account' || op.family === 'person' || op.family === 'customer')
          return { op: { ...op, deleted: true }, at, fresh: true };
      }
      throw error;
    }
  }

  /** Whether the platform may still read the account: Stripe's answer is the authorization now. */
  private async refetchAuthorization(accountId: string): Promise<DatedOp> {
    try {
      // As the account: Stripe refuses this once the platform's access is revoked.
      const account = await this.stripe.accounts.retrieve(
        accountId,
        {},
        { stripeAccount: accountId },
      );
      return {
        op: { family: 'authorization', accountId, authorized: true },
        at: stripeTimeOf(account),
        fresh: true,
      };
    } catch (error) {
      if (
        error instanceof Stripe.errors.StripePermissionError ||
        (error instanceof Stripe.errors.StripeError && error.code === 'account_invalid')
      ) {
        return {
          op: { family: 'authorization', accountId, authorized: false },
          at: stripeTimeOf(error),
          fresh: true,
        };
      }
      throw error;
    }
  }

  private async fetch(
    op: MirrorOp,
    as: { stripeAccount: string } | undefined,
  ): Promise<{ op: MirrorOp; at: Date } | null> {
    const dated = <T>(answer: T, make: (answer: T) => MirrorOp) => ({
      op: make(answer),
      at: stripeTimeOf(answer),
    });
    switch (op.family) {
      case 'account':
        return dated(await this.stripe.accounts.retrieve(op.account.id), (account) => ({
          family: 'account',
          account,
          externals: externalAccountListOf(account),
        }));
      case 'authorization':
      case 'dispute':
        return null;
      case 'capability':
        return dated(
          await this.stripe.accounts.retrieveCapability(op.accountId, op.capability.id),
          (capability) => ({ ...op, capability }),
        );
      case 'external_account':
        return dated(
          await this.stripe.accounts.retrieveExternalAccount(op.accountId, op.external.id),
          (external) => ({ ...op, external, deleted: false }),
        );
      case 'person':
        return dated(
          await this.stripe.accounts.retrievePerson(op.person.account, op.person.id),
          (person) => ({ ...op, person, deleted: false }),
        );
      case 'customer':
        return dated(await this.stripe.customers.retrieve(op.customer.id, {}, as), (customer) => ({
          ...op,
          customer,
          deleted: customer.deleted === true,
        }));
      case 'payment_intent':
        return dated(await this.stripe.paymentIntents.retrieve(op.intent.id, {}, as), (intent) => ({
          ...op,
          intent,
        }));
      case 'charge':
        return dated(await this.stripe.charges.retrieve(op.charge.id, {}, as), (charge) => ({
          ...op,
          charge,
        }));
      case 'refund':
        return dated(await this.stripe.refunds.retrieve(op.refund.id, {}, as), (refund) => ({
          ...op,
          refund,
        }));
      case 'application_fee':
        return dated(await this.stripe.applicationFees.retrieve(op.fee.id), (fee) => ({
          ...op,
          fee,
        }));
      case 'transfer':
        return dated(await this.stripe.transfers.retrieve(op.transfer.id), (transfer) => ({
          ...op,
          transfer,
        }));
      case 'payout':
        return dated(await this.stripe.payouts.retrieve(op.payout.id, {}, as), (payout) => ({
          ...op,
          payout,
        }));
    }
  }

  /** The connected account Stripe is asked as, to read the operation's object (null: the platform). */
  private accountOfRow(op: MirrorOp): string | null {
    switch (op.family) {
      case 'account':
        return op.account.id;
      case 'person':
        return op.person.account;
      case 'capability':
      case 'external_account':
      case 'authorization':
      case 'customer':
      case 'payment_intent':
      case 'charge':
      case 'refund':
      case 'payout':
        return op.accountId;
      case 'application_fee':
        return null;
      case 'transfer':
        return null;
      case 'dispute':
        return null;
    }
  }

  /** False when the platform lost access to the account (a deauthorization is mirrored). */
  private async reachable(accountId: string): Promise<boolean> {
    const row = await this.dataSource
      .getRepository(Account)
      .findOne({ where: { id: accountId }, select: { id: true, authorized: true } });
    return row?.authorized !== false;
  }

  /**
   * Work outside the transaction once the object is known: an account's external accounts beyond the first
   * page are listed (when the account is reachable; otherwise the partial list only adds).
   */
  private async prepare(op: MirrorOp): Promise<MirrorOp> {
    if (op.family === 'charge') return this.prepareCharge(op);
    if (op.family !== 'account' || !op.externals || op.externals.complete) return op;
    if (!(await this.reachable(op.account.id))) return op;
    const data: (Stripe.BankAccount | Stripe.Card)[] = [];
    await this.stripe.accounts
      .listExternalAccounts(op.account.id, { limit: 100 })
      .autoPagingEach((external) => {
        data.push(external);
      });
    return { ...op, externals: { data, complete: true } };
  }

  /**
   * A Charge object's amounts live on its PaymentIntent's row: when the mirror does not hold it yet (the
   * charge event came first), the PaymentIntent is fetched and written with it.
   */
  private async prepareCharge(op: MirrorOp & { family: 'charge' }): Promise<MirrorOp> {
    const intentId = idOf(op.charge.payment_intent);
    if (!intentId || (await this.dataSource.getRepository(Charge).existsBy({ id: intentId })))
      return op;
    if (op.accountId && !(await this.reachable(op.accountId))) return op;
    const intent = await this.stripe.paymentIntents.retrieve(
      intentId,
      {},
      op.accountId ? { stripeAccount: op.accountId } : undefined,
    );
    return { ...op, intent: { intent, at: stripeTimeOf(intent) } };
  }

  /**
   * Accounts the operations refer to but the mirror lacks are fetched from Stripe first (standard and
   * express accounts appear this way); foreign keys need them.
   */
  async ensureAccounts(ops: MirrorOp[]): Promise<void> {
    const covered = new Set(ops.flatMap((op) => (op.family === 'account' ? [op.account.id] : [])));
    const wanted = new Set(ops.flatMap(accountsOf).filter((id) => !covered.has(id)));
    for (const id of wanted) {
      if (await this.dataSource.getRepository(Account).existsBy({ id })) continue;
      const account = await this.stripe.accounts.retrieve(id);
      await this.applyDated([
        {
          op: { family: 'account', account, externals: externalAccountListOf(account) },
          at: stripeTimeOf(account),
          fresh: true,
        },
      ]);
    }
  }
}
