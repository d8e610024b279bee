/**
 * What Stripe asks of a company's persons, by country, in the names today's API uses: `representative.*`,
 * `owners.*`, `directors.*`, `executives.*` while no such person is on the account, `company.owners_provided`
 * (and `directors_provided`, `executives_provided`) until the company attests it named them all, and
 * `person_<id>.<field>` for what a known person still lacks. A person whose keyed identity (date of birth) does
 * not verify owes an identity document (`person_<id>.verification.document`), as Stripe asks.
 *
 * Per country (the sandbox's reading of Stripe's "required verification information"): the US asks the
 * representative (with the last 4 of the SSN) and owners; the UK, Canada and Australia also directors; SEPA
 * countries also executives.
 */
import { SANDBOX_COUNTRIES } from './countries.js';

/** What the engine reads of a person. */
export interface PersonState {
  id: string;
  details: Record<string, unknown>;
  relationship: Record<string, unknown>;
}

export type CompanyRole = 'representative' | 'owners' | 'directors' | 'executives';

const FLAG: Record<CompanyRole, string> = {
  representative: 'representative',
  owners: 'owner',
  directors: 'director',
  executives: 'executive',
};

const SEPA = new Set(['AT', 'BE', 'DE', 'ES', 'FI', 'FR', 'IE', 'IT', 'LU', 'NL', 'PT']);

/** The roles a company of `country` must name. */
export function companyRoles(country: string): CompanyRole[] {
  if (country === 'US') return ['representative', 'owners'];
  if (SEPA.has(country)) return ['representative', 'owners', 'directors', 'executives'];
  return ['representative', 'owners', 'directors'];
}

/** The person fields (Stripe's paths under the role or `person_<id>`) a role needs in `country`. */
export function roleFields(role: CompanyRole, country: string): string[] {
  const hasState = SANDBOX_COUNTRIES[country]?.hasState === true;
  const address = ['address.city', 'address.line1', 'address.postal_code'];
  if (hasState) address.push('address.state');
  const dob = ['dob.day', 'dob.month', 'dob.year'];
  const name = ['first_name', 'last_name'];
  switch (role) {
    case 'representative':
      return [
        ...address,
        ...dob,
        'email',
        ...name,
        'phone',
        'relationship.title',
        ...(country === 'US' ? ['ssn_last_4'] : []),
      ];
    case 'owners':
      return [...address, ...dob, 'email', ...name, ...(country === 'US' ? ['ssn_last_4'] : [])];
    case 'directors':
      return [...dob, 'email', ...name];
    case 'executives':
      return [...address, ...dob, 'email', ...name];
  }
}

function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function personHas(person: PersonState, field: string): boolean {
  if (field === 'ssn_last_4')
    return (
      person.details.ssn_last_4_provided === true || person.details.id_number_provided === true
    );
  if (field === 'id_number') return person.details.id_number_provided === true;
  if (field === 'verification.document') {
    const front = valueAt(person.details, 'verification.document.front');
    return typeof front === 'string' && !!front && front !== 'file_identity_document_failure';
  }
  const value = field.startsWith('relationship.')
    ? person.relationship[field.slice('relationship.'.length)]
    : valueAt(person.details, field);
  return value !== undefined && value !== null && value !== '';
}

/** Stripe's test dates of birth that verify a person's keyed identity (any other does not). */
function keyedIdentityFails(person: PersonState): boolean {
  const dob = person.details.dob as { day?: number; month?: number; year?: number } | undefined;
  if (!dob?.day || !dob.month || !dob.year) return false;
  const date = `${dob.year}-${dob.month}-${dob.day}`;
  return date !== '1901-1-1' && date !== '1902-1-1';
}

/** The fields one person still lacks, in the roles it holds (e.g. `first_name`, `verification.document`). */
export function personFieldsDue(person: PersonState, country: string): string[] {
  const wanted = new Set<string>();
  for (const role of companyRoles(country)) {
    if (person.relationship[FLAG[role]] !== true) continue;
    for (const field of roleFields(role, country)) wanted.add(field);
  }
  if (wanted.size && keyedIdentityFails(person)) wanted.add('verification.document');
  return [...wanted].filter((field) => !personHas(person, field)).sort();
}

/** Why a person's fields are due again: Stripe's `requirements.errors` for the account. */
export function personErrors(
  persons: PersonState[],
  country: string,
): { requirement: string; code: string; reason: string }[] {
  return persons
    .filter((p) => personFieldsDue(p, country).includes('verification.document'))
    .map((p) => ({
      requirement: `${p.id}.verification.document`,
      code: 'verification_failed_keyed_identity',
      reason: "The identity information you entered can't be verified.",
    }));
}

/** The company-person requirements of an account, in Stripe's dotted names. */
export function companyPersonFields(
  country: string,
  company: Record<string, unknown> | null,
  persons: PersonState[],
): string[] {
  const fields: string[] = [];
  for (const role of companyRoles(country)) {
    const holders = persons.filter((p) => p.relationship[FLAG[role]] === true);
    const attested = role !== 'representative' && company?.[`${role}_provided`] === true;
    if (!holders.length && !attested)
      fields.push(...roleFields(role, country).map((field) => `${role}.${field}`));
    if (role !== 'representative' && !attested) fields.push(`company.${role}_provided`);
  }
  for (const person of persons) {
    // Stripe names a known person's requirements by its id: `person_1Abc.first_name`.
    fields.push(...personFieldsDue(person, country).map((field) => `${person.id}.${field}`));
  }
  return fields;
}
