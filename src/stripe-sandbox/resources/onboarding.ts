/**
 * What a user completing Stripe-hosted onboarding (an Account Link, or OAuth) leaves on an account: Stripe's
 * test values for the identity, a representative for a company, and a test bank account.
 */
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { StripeSandbox } from '../stripe-sandbox.js';
import {
  externalAccountsOf,
  hasRepresentative,
  type AccountData,
  type PersonData,
} from './account-data.js';
import { changingAccount } from './account-changes.js';
import { addExternalAccount } from './external-account-actions.js';
import { testAddress, testBankAccount } from './test-data.js';

const DOB = { day: 1, month: 1, year: 1901 };

function testIndividual(data: AccountData): Record<string, unknown> {
  return {
    first_name: 'Jenny',
    last_name: 'Rosen',
    email: data.email ?? 'jenny.rosen@example.com',
    phone: '0000000000',
    dob: { ...DOB },
    address: testAddress(data.country),
    id_number_provided: true,
    ssn_last_4_provided: true,
    ...(data.individual ?? {}),
  };
}

function testCompany(data: AccountData): Record<string, unknown> {
  return {
    name: 'Rosen Industries',
    phone: '0000000000',
    address: testAddress(data.country),
    tax_id_provided: true,
    owners_provided: true,
    directors_provided: true,
    executives_provided: true,
    ...(data.company ?? {}),
  };
}

function addTestRepresentative(sandbox: StripeSandbox, data: AccountData): void {
  const id = newId('person');
  sandbox.store.insert<PersonData>('person', data.id, id, {
    id,
    account: data.id,
    created: sandbox.clock.now(),
    details: {
      first_name: 'Jenny',
      last_name: 'Rosen',
      email: 'jenny.rosen@example.com',
      phone: '0000000000',
      dob: { ...DOB },
      address: testAddress(data.country),
      id_number_provided: true,
    },
    relationship: { representative: true, executive: true, title: 'CEO' },
    metadata: {},
  });
}

/** Fills an express or standard account with Stripe's test values, as a user completing onboarding. */
export function completeOnboarding(
  sandbox: StripeSandbox,
  stored: StoredObject<AccountData>,
): void {
  changingAccount(sandbox, null, stored, () => {
    const data = stored.data;
    const next: AccountData = {
      ...data,
      business_type: data.business_type ?? 'individual',
      business_profile: {
        mcc: '5734',
        url: 'https://accessible.stripe.com',
        ...data.business_profile,
      },
    };
    if (next.business_type === 'individual') {
      next.individual = testIndividual(data);
      next.individual_person_id ??= newId('person');
    } else {
      next.company = testCompany(data);
      if (!hasRepresentative(sandbox.store, data.id)) addTestRepresentative(sandbox, data);
    }
    stored.data = next;
    sandbox.store.save(stored);
    if (!externalAccountsOf(sandbox.store, data.id).length) {
      addExternalAccount(sandbox, null, next, testBankAccount(data.country, next.default_currency));
    }
  });
}
