/** Stripe objects of the accounts domain → the columns of their local mirror rows (no owner: it is never overwritten). */
import type Stripe from 'stripe';
import type { Account, AccountType } from './account.entity.js';
import type { ExternalAccount } from './external-account.entity.js';
import type { Person } from './person.entity.js';

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
): Omit<Partial<Account>, 'userId'> {
  const requirements = account.requirements ?? null;
  return {
    id: account.id,
    livemode: (account as Stripe.Account & { livemode?: boolean }).livemode ?? false,
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
): Partial<ExternalAccount> {
  const bank = external.object === 'bank_account' ? external : null;
  const card = external.object === 'card' ? external : null;
  return {
    id: external.id,
    livemode: false,
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

export function personValues(person: Stripe.Person, snapshotAt: Date): Partial<Person> {
  return {
    id: person.id,
    livemode: false,
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
