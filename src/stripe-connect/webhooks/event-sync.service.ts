/**
 * The built-in sync: what each Stripe event changes in the local mirror. An event becomes a list of mirror
 * operations; the webhook processor runs them with the ordering guard (an older snapshot never overwrites a
 * newer one; a tie is settled by re-fetching from Stripe) in one transaction, after any Stripe call.
 */
import { Injectable } from '@nestjs/common';
import { upsertSnapshot } from '../common/mirror-writer.js';
import type Stripe from 'stripe';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { externalAccountValues, personValues } from '../accounts/account-mirror.js';
import { AccountsRepository } from '../accounts/accounts.repository.js';
import { Account } from '../accounts/account.entity.js';
import { ExternalAccount } from '../accounts/external-account.entity.js';
import { Person } from '../accounts/person.entity.js';
import { ApplicationFee } from '../charges/application-fee.entity.js';
import {
  applicationFeeValues,
  chargeObjectValues,
  paymentIntentValues,
  refundValues,
} from '../charges/charge-mirror.js';
import { Charge } from '../charges/charge.entity.js';
import { Refund } from '../charges/refund.entity.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { Payout } from '../transfers/payout.entity.js';
import { payoutValues, reversalValues, transferValues } from '../transfers/transfer-mirror.js';
import { TransferReversal } from '../transfers/transfer-reversal.entity.js';
import { Transfer } from '../transfers/transfer.entity.js';

/** One change to the mirror. */
export interface MirrorOp {
  /** The mirrored table whose row `id` carries the snapshot time compared by the ordering guard. */
  table?: EntityTarget<ObjectLiteral>;
  id: string;
  /**
   * `snapshot`: the object is a full snapshot; it is written and becomes the row's snapshot time.
   * `patch`: a partial change, applied only when the row is not newer than the event, without moving the
   * row's snapshot time. `delete`: removes the row unless it is newer than the event.
   */
  mode: 'snapshot' | 'patch' | 'delete';
  object: unknown;
  /** Retrieves the object afresh from Stripe: used when the row's snapshot ties with the event. */
  refetch?: () => Promise<unknown>;
  /** Work outside the transaction once the object is known (e.g. the rest of a paginated list). */
  prepare?: (object: unknown) => Promise<unknown>;
  write(manager: EntityManager, prepared: unknown, snapshotAt: Date): Promise<void>;
  /** Connected accounts that must exist locally first (foreign keys). */
  accounts?: (string | null | undefined)[];
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

function upsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: Partial<T>,
): Promise<void> {
  return upsertSnapshot(manager, entity, values as Partial<T> & { id: string });
}

/** Removes a mirrored row, unless it holds a snapshot newer than the event. */
function deleteOp(table: EntityTarget<ObjectLiteral>, id: string, object: unknown): MirrorOp {
  return {
    table,
    id,
    mode: 'delete',
    object,
    write: async (manager) => {
      await manager.delete(table, { id });
    },
  };
}

@Injectable()
export class EventSyncService {
  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly accounts: AccountsRepository,
  ) {}

  /** Writes an account snapshot with its external accounts (all pages), keeping its owner. */
  accountOp(account: Stripe.Account): MirrorOp {
    return {
      table: Account,
      id: account.id,
      mode: 'snapshot',
      object: account,
      refetch: () => this.stripe.accounts.retrieve(account.id),
      prepare: async (object) => {
        const fresh = object as Stripe.Account;
        const list = fresh.external_accounts;
        if (!list) return { account: fresh, externals: null };
        if (!list.has_more) return { account: fresh, externals: list.data };
        const externals: (Stripe.BankAccount | Stripe.Card)[] = [];
        await this.stripe.accounts
          .listExternalAccounts(fresh.id, { limit: 100 })
          .autoPagingEach((external) => {
            externals.push(external);
          });
        return { account: fresh, externals };
      },
      write: async (manager, prepared, snapshotAt) => {
        const { account, externals } = prepared as {
          account: Stripe.Account;
          externals: (Stripe.BankAccount | Stripe.Card)[] | null;
        };
        await this.accounts.writeSnapshot(manager, account, externals, snapshotAt);
      },
    };
  }

  /** The mirror operations an event implies; none for types the library does not mirror. */
  opsFor(event: Stripe.Event): MirrorOp[] {
    const account = event.account ?? null;
    const object = event.data.object as unknown as Record<string, unknown> & {
      id: string;
      object: string;
    };
    const asAccount = account ? { stripeAccount: account } : undefined;
    const type = event.type as string;

    if (type === 'account.updated') return [this.accountOp(object as unknown as Stripe.Account)];

    if (type === 'account.application.authorized' || type === 'account.application.deauthorized') {
      if (!account) return [];
      const authorized = type === 'account.application.authorized';
      return [
        {
          id: account,
          mode: 'patch',
          object,
          accounts: [account],
          write: async (manager) => {
            await manager.update(Account, { id: account }, { authorized });
          },
        },
      ];
    }

    if (type.startsWith('account.external_account.')) {
      const external = object as unknown as Stripe.BankAccount | Stripe.Card;
      const owner = account ?? idOf((external as Stripe.BankAccount).account);
      if (!owner) return [];
      if (type.endsWith('.deleted')) {
        return [deleteOp(ExternalAccount, external.id, object)];
      }
      return [
        {
          table: ExternalAccount,
          id: external.id,
          mode: 'snapshot',
          object,
          accounts: [owner],
          refetch: () => this.stripe.accounts.retrieveExternalAccount(owner, external.id),
          write: (m, fresh, at) =>
            upsert(
              m,
              ExternalAccount,
              externalAccountValues(fresh as Stripe.BankAccount, owner, at),
            ),
        },
      ];
    }

    if (type === 'capability.updated') {
      const capability = object as unknown as Stripe.Capability;
      const owner = idOf(capability.account) ?? account;
      if (!owner) return [];
      return [
        {
          table: Account,
          id: owner,
          mode: 'patch',
          object,
          accounts: [owner],
          write: async (manager) => {
            const row = await manager.findOneByOrFail(Account, { id: owner });
            await manager.update(
              Account,
              { id: owner },
              { capabilities: { ...row.capabilities, [capability.id]: capability.status } },
            );
          },
        },
      ];
    }

    if (type.startsWith('person.')) {
      const person = object as unknown as Stripe.Person;
      if (type === 'person.deleted') {
        return [deleteOp(Person, person.id, object)];
      }
      return [
        {
          table: Person,
          id: person.id,
          mode: 'snapshot',
          object,
          accounts: [person.account],
          refetch: () => this.stripe.accounts.retrievePerson(person.account, person.id),
          write: (m, fresh, at) => upsert(m, Person, personValues(fresh as Stripe.Person, at)),
        },
      ];
    }

    if (type.startsWith('payout.')) {
      const payout = object as unknown as Stripe.Payout;
      return [
        {
          table: Payout,
          id: payout.id,
          mode: 'snapshot',
          object,
          accounts: [account],
          refetch: () => this.stripe.payouts.retrieve(payout.id, {}, asAccount),
          write: (m, fresh, at) =>
            upsert(m, Payout, payoutValues(fresh as Stripe.Payout, account, at)),
        },
      ];
    }

    if (type.startsWith('transfer.')) {
      const transfer = object as unknown as Stripe.Transfer;
      return [
        {
          table: Transfer,
          id: transfer.id,
          mode: 'snapshot',
          object,
          accounts: [idOf(transfer.destination)],
          refetch: () => this.stripe.transfers.retrieve(transfer.id),
          write: async (m, fresh, at) => {
            const current = fresh as Stripe.Transfer;
            await upsert(m, Transfer, transferValues(current, at));
            for (const reversal of current.reversals?.data ?? []) {
              await upsert(m, TransferReversal, reversalValues(reversal, at));
            }
          },
        },
      ];
    }

    if (type.startsWith('payment_intent.')) {
      const intent = object as unknown as Stripe.PaymentIntent;
      return [
        {
          table: Charge,
          id: intent.id,
          mode: 'snapshot',
          object,
          accounts: [account, idOf(intent.transfer_data?.destination)],
          refetch: () => this.stripe.paymentIntents.retrieve(intent.id, {}, asAccount),
          write: async (m, fresh, at) => {
            const current = fresh as Stripe.PaymentIntent;
            const existing = await m.findOneBy(Charge, { id: current.id });
            // A PaymentIntent does not carry refunds or disputes: keep what charge events recorded.
            await upsert(m, Charge, {
              ...paymentIntentValues(current, account, at),
              amountRefunded: existing?.amountRefunded ?? 0,
              disputed: existing?.disputed ?? false,
            });
          },
        },
      ];
    }

    if (type.startsWith('charge.dispute.')) {
      const dispute = object as unknown as Stripe.Dispute;
      const intentId = idOf(dispute.payment_intent);
      if (!intentId) return [];
      return [
        {
          table: Charge,
          id: intentId,
          mode: 'patch',
          object,
          write: (m) =>
            m.update(Charge, { id: intentId }, { disputed: true }).then(() => undefined),
        },
      ];
    }

    if (type === 'charge.refund.updated') {
      return [this.refundOp(object as unknown as Stripe.Refund, account)];
    }

    if (type.startsWith('charge.')) {
      const charge = object as unknown as Stripe.Charge;
      const intentId = idOf(charge.payment_intent);
      const ops: MirrorOp[] = [];
      if (intentId) {
        ops.push({
          table: Charge,
          id: intentId,
          mode: 'patch',
          object,
          write: (m) =>
            m
              .update(Charge, { id: intentId }, chargeObjectValues(charge) as never)
              .then(() => undefined),
        });
      }
      for (const refund of charge.refunds?.data ?? []) ops.push(this.refundOp(refund, account));
      return ops;
    }

    if (type === 'application_fee.created' || type === 'application_fee.refunded') {
      const fee = object as unknown as Stripe.ApplicationFee;
      return [
        {
          table: ApplicationFee,
          id: fee.id,
          mode: 'snapshot',
          object,
          accounts: [idOf(fee.account)],
          refetch: () => this.stripe.applicationFees.retrieve(fee.id),
          write: async (m, fresh, at) => {
            const current = fresh as Stripe.ApplicationFee;
            const charge = idOf(current.charge);
            const intent = charge ? await m.findOneBy(Charge, { latestChargeId: charge }) : null;
            await upsert(m, ApplicationFee, {
              ...applicationFeeValues(current, at),
              paymentIntentId: intent?.id ?? null,
            });
          },
        },
      ];
    }

    return [];
  }

  private refundOp(refund: Stripe.Refund, account: string | null): MirrorOp {
    return {
      table: Refund,
      id: refund.id,
      mode: 'snapshot',
      object: refund,
      refetch: () =>
        this.stripe.refunds.retrieve(
          refund.id,
          {},
          account ? { stripeAccount: account } : undefined,
        ),
      write: async (m, fresh, at) => {
        const values = refundValues(fresh as Stripe.Refund, account, at);
        // The refund's PaymentIntent may not be mirrored; the id stays in the raw object.
        if (values.paymentIntentId && !(await m.existsBy(Charge, { id: values.paymentIntentId })))
          values.paymentIntentId = null;
        await upsert(m, Refund, values);
      },
    };
  }
}
