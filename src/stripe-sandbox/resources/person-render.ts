/** Persons as Stripe renders them: an individual account's `individual`, or a company's person. */
import type { SandboxStore, StoredObject } from '../sandbox.store.js';
import type { AccountData, PersonData } from './account-data.js';
import { personFieldsDue } from './company-requirements.js';

/** A Person as Stripe renders it (an individual account's `individual`, or a company's person). */
export function renderPersonShape(person: {
  id: string | null;
  account: string;
  country: string | null;
  created: number;
  details: Record<string, unknown>;
  relationship: Record<string, unknown>;
  metadata: Record<string, string>;
  /** What the person still owes (a company's person: its roles' fields), Stripe's `requirements.currently_due`. */
  due?: string[];
}): Record<string, unknown> {
  const {
    id_number_provided,
    ssn_last_4_provided,
    id_number_mismatch: _mismatch,
    metadata: _m,
    ...details
  } = person.details;
  return {
    id: person.id,
    object: 'person',
    account: person.account,
    address: {
      city: null,
      country: person.country,
      line1: null,
      line2: null,
      postal_code: null,
      state: null,
      ...(details.address as object),
    },
    created: person.created,
    dob: { day: null, month: null, year: null, ...(details.dob as object) },
    email: details.email ?? null,
    first_name: details.first_name ?? null,
    last_name: details.last_name ?? null,
    phone: details.phone ?? null,
    id_number_provided: id_number_provided === true,
    ssn_last_4_provided: ssn_last_4_provided === true || id_number_provided === true,
    metadata: person.metadata,
    relationship: {
      director: false,
      executive: false,
      owner: false,
      percent_ownership: null,
      representative: false,
      title: null,
      ...person.relationship,
    },
    requirements: {
      alternatives: [],
      currently_due: person.due ?? [],
      errors: [],
      eventually_due: person.due ?? [],
      past_due: person.due ?? [],
      pending_verification: [],
    },
    verification: personVerification(details.verification),
  };
}

/** A person's `verification` as Stripe renders it, from the documents attached. */
function personVerification(value: unknown): Record<string, unknown> {
  const verification = (value ?? {}) as Record<
    string,
    Record<string, string | undefined> | undefined
  >;
  const side = (kind: string) => ({
    back: verification[kind]?.back ?? null,
    details: null,
    details_code: null,
    front: verification[kind]?.front ?? null,
  });
  const front = verification.document?.front;
  return {
    additional_document: side('additional_document'),
    details: null,
    details_code: null,
    document: side('document'),
    status: front && front !== 'file_identity_document_failure' ? 'verified' : 'unverified',
  };
}

/** A stored person of a company account. */
export function renderPersonObject(
  store: SandboxStore,
  stored: StoredObject,
): Record<string, unknown> {
  const person = stored.data as PersonData;
  const country = store.get<AccountData>(person.account)?.data.country ?? null;
  return renderPersonShape({
    id: person.id,
    account: person.account,
    country,
    due: country ? personFieldsDue(person, country) : [],
    created: person.created,
    details: person.details,
    relationship: person.relationship,
    metadata: person.metadata,
  });
}

/** An individual account's `individual`: the account's own person. */
export function renderIndividual(data: AccountData): Record<string, unknown> | undefined {
  if (!data.individual || data.business_type !== 'individual') return undefined;
  return renderPersonShape({
    id: data.individual_person_id,
    account: data.id,
    country: data.country,
    created: data.created,
    details: data.individual,
    relationship: { representative: true },
    metadata: (data.individual.metadata as Record<string, string> | undefined) ?? {},
  });
}
