/**
 * What Stripe asks of a connected account at onboarding, by country, business type and who collects it:
 * every field starts currently due and leaves the list when supplied. (The full engine, with thresholds,
 * deadlines and verification outcomes, comes with the onboarding work.)
 */
import { companyPersonFields, personErrors, type PersonState } from './company-requirements.js';
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
  /**
   * Verification asked later in an account's life: `none` (eventually due only), `due` (currently due,
   * with `deadline`), `past_due` (the deadline passed).
   */
  later_phase?: 'none' | 'due' | 'past_due';
  deadline?: number | null;
  /** The company's persons (representative, owners, directors, executives); none for an individual. */
  persons: PersonState[];
  /**
   * An identity document uploaded for an individual whose keyed identity did not match (id number
   * 111111111) is reviewed until this time (unix seconds): pending verification, then it verifies the person.
   */
  document_review_until?: number | null;
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
    );
  }
  const failed = identityOutcome(account).failed;
  const persons =
    account.business_type && account.business_type !== 'individual'
      ? companyPersonFields(account.country, account.company, account.persons)
      : [];
  return [
    ...new Set([...fields.filter((field) => !supplied(account, field)), ...failed, ...persons]),
  ].sort();
}

interface IdentityOutcome {
  /** Fields supplied but not verified: due again. */
  failed: string[];
  errors: { requirement: string; code: string; reason: string }[];
  /** The date of birth 1900-01-01 raises an OFAC (sanctions list) alert. */
  listed: boolean;
}

/**
 * Stripe's test identity values for an individual: dates of birth 1901-01-01 and 1902-01-01 verify (any
 * other does not; 1900-01-01 raises a sanctions alert), `address_full_match` verifies while
 * `address_no_match` and `address_line1_no_match` do not, id number 111111111 does not match.
 */
export function identityOutcome(account: AccountState): IdentityOutcome {
  const outcome: IdentityOutcome = { failed: [], errors: [], listed: false };
  const person = account.individual;
  if (!person || account.business_type !== 'individual') return outcome;
  const dob = person.dob as { day?: number; month?: number; year?: number } | undefined;
  if (dob?.day && dob.month && dob.year) {
    const date = `${dob.year}-${dob.month}-${dob.day}`;
    if (date === '1900-1-1') outcome.listed = true;
    else if (date !== '1901-1-1' && date !== '1902-1-1') {
      outcome.failed.push('individual.dob.day', 'individual.dob.month', 'individual.dob.year');
      outcome.errors.push({
        requirement: 'individual.dob.day',
        code: 'verification_failed_keyed_identity',
        reason: "The identity information you entered can't be verified.",
      });
    }
  }
  const line1 = (person.address as { line1?: string } | undefined)?.line1;
  if (line1 === 'address_no_match' || line1 === 'address_line1_no_match') {
    const fields = line1 === 'address_no_match' ? ['line1'] : ['line1', 'city', 'postal_code'];
    outcome.failed.push(...fields.map((f) => `individual.address.${f}`));
    outcome.errors.push({
      requirement: 'individual.address.line1',
      code: 'verification_failed_address_match',
      reason: "The address you entered can't be verified.",
    });
  }
  if (idNumberMismatch(account)) {
    outcome.failed.push('individual.id_number');
    outcome.errors.push({
      requirement: 'individual.id_number',
      code: 'verification_failed_id_number_match',
      reason:
        'The identity information you entered cannot be verified. Please correct any errors or upload a document that matches the identity fields (e.g., name and date of birth) that you entered.',
    });
  }
  return outcome;
}

/** The id number failed to match, and no document under review answers for it. */
function idNumberMismatch(account: AccountState): boolean {
  return account.individual?.id_number_mismatch === true && !underReview(account);
}

function underReview(account: AccountState): boolean {
  return typeof account.document_review_until === 'number';
}

/** How long Stripe takes to review an uploaded identity document, in the sandbox. */
export const DOCUMENT_REVIEW_SECONDS = 5 * 60;

/**
 * Stripe's `requirements.alternatives`: an identity document instead of an id number that did not match
 * ("upload a document that matches the identity fields").
 */
function alternatives(
  account: AccountState,
): { alternative_fields_due: string[]; original_fields_due: string[] }[] {
  if (!idNumberMismatch(account)) return [];
  return [
    {
      alternative_fields_due: ['individual.verification.document'],
      original_fields_due: ['individual.id_number'],
    },
  ];
}

/** When a custom account's later verification becomes currently due, and the grace before its deadline. */
export const LATER_VERIFICATION_AFTER_SECONDS = 30 * 86_400;
export const DEADLINE_GRACE_SECONDS = 14 * 86_400;

/** Verification Stripe asks once an account has been in use a while: an identity or company document. */
export function laterFields(account: AccountState): string[] {
  if (account.type !== 'custom' || !account.business_type) return [];
  const field =
    account.business_type === 'individual'
      ? 'individual.verification.document'
      : 'company.verification.document';
  return supplied(account, field) ? [] : [field];
}

/** Why fields are due again: Stripe's `requirements.errors`. */
export function requirementErrors(
  account: AccountState,
): { requirement: string; code: string; reason: string }[] {
  const errors = [...identityOutcome(account).errors];
  if (account.business_type && account.business_type !== 'individual')
    errors.push(...personErrors(account.persons, account.country));
  if (documentOf(account.individual) === 'file_identity_document_failure') {
    errors.push({
      requirement: 'individual.verification.document',
      code: 'verification_document_failed_other',
      reason: 'The document could not be verified. Upload another document.',
    });
  }
  return errors;
}

/** The front of a person's identity document (a file id or a test token), if one was attached. */
function documentOf(person: Record<string, unknown> | null): string | undefined {
  const verification = person?.verification as { document?: { front?: unknown } } | undefined;
  const front = verification?.document?.front;
  return typeof front === 'string' && front ? front : undefined;
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
      return account.individual?.id_number_provided === true && !idNumberMismatch(account);
    case 'individual.verification.document': {
      const front = documentOf(account.individual);
      return front !== undefined && front !== 'file_identity_document_failure';
    }
    case 'company.verification.document': {
      const front = documentOf(account.company);
      return front !== undefined && front !== 'file_identity_document_failure';
    }
    case 'company.tax_id':
      return account.company?.tax_id_provided === true;
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
  const initial = fieldsNeeded(account);
  const later = laterFields(account);
  const phase = account.later_phase ?? 'none';
  const currentlyDue = [...new Set([...initial, ...(phase !== 'none' ? later : [])])].sort();
  const pastDue = [...new Set([...initial, ...(phase === 'past_due' ? later : [])])].sort();
  const eventuallyDue = [...new Set([...initial, ...later])].sort();
  const requested = Object.entries(account.capabilities).filter(([, c]) => c.requested);
  const listed = identityOutcome(account).listed;
  const reviewing = underReview(account);
  const ready = pastDue.length === 0 && account.rejected === null && !listed && !reviewing;
  let disabledReason: string | null = null;
  if (account.rejected) disabledReason = `rejected.${account.rejected}`;
  else if (listed) disabledReason = 'listed';
  else if (pastDue.length) disabledReason = 'requirements.past_due';
  else if (!requested.length) disabledReason = 'action_required.requested_capabilities';
  const capabilities = Object.fromEntries(
    requested.map(
      ([name]) => [name, ready ? 'active' : reviewing ? 'pending' : 'inactive'] as const,
    ),
  );
  return {
    requirements: {
      alternatives: alternatives(account),
      current_deadline: phase === 'due' && later.length ? (account.deadline ?? null) : null,
      currently_due: currentlyDue,
      disabled_reason: disabledReason,
      errors: requirementErrors(account),
      eventually_due: eventuallyDue,
      past_due: pastDue,
      pending_verification: reviewing ? ['individual.verification.document'] : [],
    },
    capabilities,
    charges_enabled: capabilities.card_payments === 'active',
    payouts_enabled:
      ready &&
      account.external_account_count > 0 &&
      (capabilities.transfers === 'active' || capabilities.card_payments === 'active'),
    details_submitted: initial.length === 0,
  };
}
