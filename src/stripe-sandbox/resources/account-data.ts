/**
 * What the sandbox keeps for a connected account, its persons and its external accounts, and how the
 * resources find them.
 */
import { resourceMissing } from '../sandbox.errors.js';
import type { SandboxStore, StoredObject } from '../sandbox.store.js';
import type { RequestContext } from '../stripe-sandbox.js';
import type { AccountState } from './account-requirements.js';
import type { BankAccountDetails } from './bank-accounts.js';

export type AccountType = 'custom' | 'express' | 'standard';

export interface AccountData extends Omit<AccountState, 'external_account_count' | 'persons'> {
  id: string;
  object: 'account';
  controller: Record<string, unknown>;
  email: string | null;
  metadata: Record<string, string>;
  settings: Record<string, unknown>;
  created: number;
  default_currency: string;
  individual_person_id: string | null;
  documents?: Record<string, unknown>;
  deleted?: boolean;
  /** The platform's access was revoked through OAuth: the account is no longer reachable. */
  deauthorized?: boolean;
}

export interface PersonData {
  id: string;
  account: string;
  created: number;
  details: Record<string, unknown>;
  relationship: Record<string, unknown>;
  metadata: Record<string, string>;
}

export interface ExternalAccountData extends BankAccountDetails {
  id: string;
  object: 'bank_account';
  account: string;
  default_for_currency: boolean;
  metadata: Record<string, string>;
  status: string;
}

/** The settings of a new account, as Stripe fills them. */
export function defaultSettings(type: AccountType): Record<string, unknown> {
  return {
    branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
    card_payments: {
      decline_on: { avs_failure: false, cvc_failure: false },
      statement_descriptor_prefix: null,
      statement_descriptor_prefix_kana: null,
      statement_descriptor_prefix_kanji: null,
    },
    dashboard: { display_name: null, timezone: 'Etc/UTC' },
    payments: {
      statement_descriptor: null,
      statement_descriptor_kana: null,
      statement_descriptor_kanji: null,
    },
    payouts: {
      debit_negative_balances: type !== 'standard',
      schedule: { delay_days: 2, interval: 'daily' },
      statement_descriptor: null,
    },
  };
}

/** The account, visible to the platform and to the account itself only. */
export function findAccount(
  ctx: RequestContext,
  id = ctx.pathParams.id,
): StoredObject<AccountData> {
  const stored = ctx.sandbox.store.get<AccountData>(id);
  if (
    !stored ||
    stored.kind !== 'account' ||
    stored.data.deleted ||
    (ctx.scope !== null && ctx.scope !== id)
  ) {
    throw resourceMissing('account', id);
  }
  return stored;
}

export function externalAccountsOf(
  store: SandboxStore,
  accountId: string,
): StoredObject<ExternalAccountData>[] {
  return store.listScoped<ExternalAccountData>('external_account', accountId);
}

export function personsOf(store: SandboxStore, accountId: string): StoredObject<PersonData>[] {
  return store.listScoped<PersonData>('person', accountId);
}

export function hasRepresentative(store: SandboxStore, accountId: string): boolean {
  return personsOf(store, accountId).some((p) => p.data.relationship.representative === true);
}

/** What the requirements engine needs to know of an account. */
export function stateOf(store: SandboxStore, data: AccountData): AccountState {
  return {
    ...data,
    external_account_count: externalAccountsOf(store, data.id).length,
    persons: (data.business_type && data.business_type !== 'individual'
      ? personsOf(store, data.id)
      : []
    ).map(({ data: person }) => ({
      id: person.id,
      details: person.details,
      relationship: person.relationship,
    })),
  };
}
