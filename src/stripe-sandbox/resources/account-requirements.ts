/**
 * What Stripe asks of a connected account at onboarding, by country, business type and who collects it:
 * every field starts currently due and leaves the list when supplied. (The full engine, with thresholds,
 * deadlines and verification outcomes, comes with the onboarding work.)
 */
import { SANDBOX_COUNTRIES } from './countries.js';

export interface AccountState {
  id: string;
  type: 'custom' | 'express' | 'standard' | 'none';
  country: string;
  business_type: string | null;
  business_profile: Record<string, unknown>;
  individual: Record<string, unknown> | null;
  company: Record<string, unknown> | null;
  tos_acceptance: Record<string, unknown>;
  capabilities: Record<string, { requested: boolean; requested_at: number | null }>;
  external_account_count: number;
  /** Whether a Person with `relationship.representative` exists on the account. */
  has_representative: boolean;
  rejected: string | null;
}

function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

const ADDRESS = ['line1', 'city', 'postal_code'];

/** The fields of `requirements` an account needs now, in Stripe's dotted names. */
export function fieldsNeeded(account: AccountState): string[] {
  const rules = SANDBOX_COUNTRIES[account.country];
  const fields: string[] = ['business_profile.mcc', 'business_profile.url', 'external_account'];
  if (account.type === 'custom') fields.push('tos_acceptance.date', 'tos_acceptance.ip');
  if (!account.business_type) {
    fields.push('business_type');
  } else if (account.business_type === 'individual') {
    const address = [...ADDRESS, ...(rules?.hasState ? ['state'] : [])];
    fields.push(
      ...address.map((key) => `individual.address.${key}`),
      'individual.dob.day',
      'individual.dob.month',
      'individual.dob.year',
      'individual.email',
      'individual.first_name',
      'individual.last_name',
      'individual.phone',
    );
    if (rules?.individualId) fields.push(`individual.${rules.individualId}`);
  } else {
    const address = [...ADDRESS, ...(rules?.hasState ? ['state'] : [])];
    fields.push(
      ...address.map((key) => `company.address.${key}`),
      'company.name',
      'company.phone',
      'company.tax_id',
      'relationship.owner',
      'relationship.representative',
    );
  }
  if (account.individual?.id_number_mismatch === true && account.business_type === 'individual') {
    fields.push('individual.id_number');
  }
  return [...new Set(fields.filter((field) => !supplied(account, field)))].sort();
}

/** Why fields are due again: Stripe's `requirements.errors`. */
export function requirementErrors(
  account: AccountState,
): { requirement: string; code: string; reason: string }[] {
  if (account.individual?.id_number_mismatch === true && account.business_type === 'individual') {
    return [
      {
        requirement: 'individual.id_number',
        code: 'verification_failed_id_number_match',
        reason:
          'The identity information you entered cannot be verified. Please correct any errors or upload a document that matches the identity fields (e.g., name and date of birth) that you entered.',
      },
    ];
  }
  return [];
}

function supplied(account: AccountState, field: string): boolean {
  switch (field) {
    case 'external_account':
      return account.external_account_count > 0;
    case 'business_type':
      return present(account.business_type);
    case 'business_profile.url':
      // Stripe takes a product description instead of a website.
      return (
        present(account.business_profile.url) ||
        present(account.business_profile.product_description)
      );
    case 'individual.ssn_last_4':
      return (
        account.individual?.ssn_last_4_provided === true ||
        account.individual?.id_number_provided === true
      );
    case 'individual.id_number':
      return (
        account.individual?.id_number_provided === true &&
        account.individual?.id_number_mismatch !== true
      );
    case 'company.tax_id':
      return account.company?.tax_id_provided === true;
    case 'relationship.owner':
      return account.company?.owners_provided === true;
    case 'relationship.representative':
      return account.has_representative;
    default: {
      const [root, ...rest] = field.split('.');
      const source =
        root === 'individual'
          ? account.individual
          : root === 'company'
            ? account.company
            : root === 'business_profile'
              ? account.business_profile
              : root === 'tos_acceptance'
                ? account.tos_acceptance
                : undefined;
      return present(valueAt(source, rest.join('.')));
    }
  }
}

export interface DerivedStatus {
  requirements: Record<string, unknown>;
  capabilities: Record<string, 'active' | 'inactive' | 'pending'>;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
}

/** Requirements, capability statuses and enablement, from what the account holds. */
export function deriveStatus(account: AccountState): DerivedStatus {
  const due = fieldsNeeded(account);
  const requested = Object.entries(account.capabilities).filter(([, c]) => c.requested);
  const ready = due.length === 0 && account.rejected === null;
  let disabledReason: string | null = null;
  if (account.rejected) disabledReason = `rejected.${account.rejected}`;
  else if (due.length) disabledReason = 'requirements.past_due';
  else if (!requested.length) disabledReason = 'action_required.requested_capabilities';
  const capabilities = Object.fromEntries(
    requested.map(([name]) => [name, ready ? 'active' : 'inactive'] as const),
  );
  return {
    requirements: {
      alternatives: [],
      current_deadline: null,
      currently_due: due,
      disabled_reason: disabledReason,
      errors: requirementErrors(account),
      eventually_due: due,
      past_due: due,
      pending_verification: [],
    },
    capabilities,
    charges_enabled: capabilities.card_payments === 'active',
    payouts_enabled:
      ready &&
      account.external_account_count > 0 &&
      (capabilities.transfers === 'active' || capabilities.card_payments === 'active'),
    details_submitted: due.length === 0,
  };
}
