/**
 * Stripe's requirement paths → the fields of a form to render. Every path maps to a field; a path nobody
 * anticipated becomes a text field named by the path, never dropped. Field names are the requirement paths
 * themselves (a date of birth's three parts become one `….dob` date field; the terms' date and IP become one
 * `tos_acceptance` checkbox; a bank account becomes the fields its country uses). Pure functions.
 */
import { countryRule } from './country-rules.js';

export type FieldType = 'text' | 'email' | 'tel' | 'url' | 'date' | 'select' | 'boolean' | 'file';

export interface FormField {
  /** The key under which the value is posted back (and under which errors are reported). */
  name: string;
  /** The Stripe requirement paths this field satisfies. */
  requirements: string[];
  type: FieldType;
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
  /** Hints for the renderer: the accepted file types and size for documents, a pattern for text. */
  accept?: string;
  maxBytes?: number;
  pattern?: string;
  /** A sentence for the person filling the form: which other field may be given instead. */
  hint?: string;
  /**
   * The person the field belongs to: a role to add (`representative`, `owners`, `directors`, `executives`:
   * one new person each, all of its fields or none) or a known person (`person_…`). Absent for the account's
   * own fields.
   */
  section?: string;
  /** The section's heading, e.g. "An owner of the company (25% or more)" or "Jane Doe (director)". */
  sectionLabel?: string;
}

/** The roles Stripe asks a company to name, as its requirement paths spell them, and the person flag of each. */
export const NEW_PERSON_ROLES = {
  representative: 'representative',
  owners: 'owner',
  directors: 'director',
  executives: 'executive',
} as const;
export type NewPersonRole = keyof typeof NEW_PERSON_ROLES;

export function isNewPersonRole(root: string): root is NewPersonRole {
  return Object.hasOwn(NEW_PERSON_ROLES, root);
}

const SECTION_LABELS: Record<NewPersonRole, string> = {
  representative: "The company's representative (someone who may act for it)",
  owners: 'An owner of the company (25% or more)',
  directors: 'A director of the company',
  executives: 'An executive of the company (e.g. the CEO or CFO)',
};

/** Stripe's `requirements.alternatives`: fields that, given, satisfy every one of `originalFieldsDue`. */
export interface RequirementAlternative {
  originalFieldsDue: string[];
  alternativeFieldsDue: string[];
}

/** Stripe's Files API limit for identity documents (10 MB), and the formats it takes. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_ACCEPT = 'image/jpeg,image/png,application/pdf';

const LABELS: Record<string, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  maiden_name: 'Maiden name',
  email: 'Email',
  phone: 'Phone number',
  dob: 'Date of birth',
  id_number: 'National id number',
  ssn_last_4: 'Last 4 digits of the SSN',
  gender: 'Gender',
  nationality: 'Nationality',
  political_exposure: 'Politically exposed person',
  line1: 'Address line 1',
  line2: 'Address line 2',
  city: 'City',
  state: 'State or province',
  postal_code: 'Postal code',
  country: 'Country',
  name: 'Name',
  tax_id: 'Tax id',
  vat_id: 'VAT id',
  registration_number: 'Registration number',
  structure: 'Legal structure',
  mcc: 'Merchant category code',
  url: 'Website',
  product_description: 'What the business sells',
  support_phone: 'Support phone number',
  support_email: 'Support email',
  support_url: 'Support website',
  title: 'Job title',
  percent_ownership: 'Percent ownership',
  statement_descriptor: 'Statement descriptor',
  statement_descriptor_prefix: 'Statement descriptor prefix',
  document: 'Identity document',
  additional_document: 'Additional document (e.g. a utility bill)',
};

const OWNER_LABEL: Record<string, string> = {
  individual: 'Your',
  company: "The company's",
  representative: "The representative's",
  owners: "The owner's",
  directors: "The director's",
  executives: "The executive's",
  business_profile: "The business's",
};

const BUSINESS_TYPES = ['individual', 'company', 'non_profit', 'government_entity'];
const GENDERS = ['male', 'female'];
const POLITICAL_EXPOSURE = ['none', 'existing'];

function humanize(segment: string): string {
  return LABELS[segment] ?? segment.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function ownerOf(root: string): string {
  if (root.startsWith('person_')) return 'This person’s';
  return OWNER_LABEL[root] ?? '';
}

function label(root: string, rest: string[]): string {
  const owner = ownerOf(root);
  // A person's `relationship.title` is its job title, not its "relationship – job title".
  const parts = rest.length > 1 && rest[0] === 'relationship' ? rest.slice(1) : rest;
  const what = parts.map(humanize).join(' – ');
  return owner ? `${owner} ${what.charAt(0).toLowerCase()}${what.slice(1)}` : what;
}

function options(values: string[]): { value: string; label: string }[] {
  return values.map((value) => ({ value, label: humanize(value) }));
}

/** The field a requirement path belongs to (several paths may share one: the parts of a date of birth). */
export function fieldForRequirement(path: string, country: string): FormField | FormField[] {
  const rule = countryRule(country);
  const segments = path.split('.');
  const [root, ...rest] = segments;
  const last = rest[rest.length - 1] ?? root;

  if (path === 'external_account') return bankAccountFields(country);
  if (path === 'business_type') {
    return {
      name: path,
      requirements: [path],
      type: 'select',
      label: 'Business type',
      required: true,
      options: options(BUSINESS_TYPES),
    };
  }
  if (root === 'tos_acceptance') {
    return {
      name: 'tos_acceptance',
      requirements: ['tos_acceptance.date', 'tos_acceptance.ip'],
      type: 'boolean',
      label: "I accept Stripe's Connected Account Agreement",
      required: true,
    };
  }
  if (root === 'relationship') {
    // `relationship.owner` etc.: the company must say it has provided every owner, director or executive.
    const flag = `${last === 'owner' ? 'owners' : last === 'director' ? 'directors' : last === 'executive' ? 'executives' : last}_provided`;
    if (last === 'representative') return representativeFields(country);
    return {
      name: `company.${flag}`,
      requirements: [path],
      type: 'boolean',
      label: `All of the company's ${last}s have been provided`,
      required: true,
    };
  }
  if (root === 'documents') {
    return {
      name: path,
      requirements: [path],
      type: 'file',
      label: humanize(rest[0] ?? 'document'),
      required: true,
      accept: DOCUMENT_ACCEPT,
      maxBytes: DOCUMENT_MAX_BYTES,
    };
  }
  const personRoot = root === 'individual' || isNewPersonRole(root) || root.startsWith('person_');
  if (personRoot && rest[0] === 'dob') {
    return {
      name: `${root}.dob`,
      requirements: [`${root}.dob.day`, `${root}.dob.month`, `${root}.dob.year`],
      type: 'date',
      label: label(root, ['dob']),
      required: true,
    };
  }
  if (
    personRoot &&
    rest[0] === 'verification' &&
    (rest[1] === 'document' || rest[1] === 'additional_document')
  ) {
    return {
      name: `${root}.verification.${rest[1]}`,
      requirements: [path],
      type: 'file',
      label: label(root, [rest[1]]),
      required: true,
      accept: DOCUMENT_ACCEPT,
      maxBytes: DOCUMENT_MAX_BYTES,
    };
  }
  if (root === 'company' && rest[0] === 'verification' && rest[1] === 'document') {
    return {
      name: 'company.verification.document',
      requirements: [path],
      type: 'file',
      label: 'A company registration document',
      required: true,
      accept: DOCUMENT_ACCEPT,
      maxBytes: DOCUMENT_MAX_BYTES,
    };
  }
  const base = {
    name: path,
    requirements: [path],
    label: label(root, rest.length ? rest : [root]),
    required: true,
  };
  if (last === 'email' || last === 'support_email') return { ...base, type: 'email' };
  if (last === 'phone' || last === 'support_phone') return { ...base, type: 'tel' };
  if (last === 'url' || last === 'support_url') return { ...base, type: 'url' };
  if (last === 'state' && rest.includes('address') && rule?.states)
    return { ...base, type: 'select', options: rule.states.map((s) => ({ value: s, label: s })) };
  if (last === 'gender') return { ...base, type: 'select', options: options(GENDERS) };
  if (last === 'political_exposure')
    return { ...base, type: 'select', options: options(POLITICAL_EXPOSURE) };
  if (last === 'ssn_last_4') return { ...base, type: 'text', pattern: '^\\d{4}$' };
  if (last === 'mcc') return { ...base, type: 'text', pattern: '^\\d{4}$' };
  if (
    last === 'owners_provided' ||
    last === 'directors_provided' ||
    last === 'executives_provided'
  ) {
    const who = last.slice(0, -'_provided'.length);
    const what =
      who === 'owners'
        ? 'owner (anyone owning 25% or more)'
        : who === 'directors'
          ? 'director'
          : 'executive';
    return {
      ...base,
      type: 'boolean',
      label: `I have named every ${what} of the company (or it has none)`,
    };
  }
  if (personRoot && rest.join('.') === 'relationship.percent_ownership')
    return { ...base, type: 'text', pattern: '^\\d{1,3}(\\.\\d{1,2})?$' };
  return { ...base, type: 'text' };
}

function bankAccountFields(country: string): FormField[] {
  const rule = countryRule(country);
  const field = (name: string, fieldLabel: string, pattern?: string): FormField => ({
    name: `external_account.${name}`,
    requirements: ['external_account'],
    type: 'text',
    label: fieldLabel,
    required: true,
    ...(pattern ? { pattern } : {}),
  });
  const holder = field('account_holder_name', 'Account holder name');
  switch (rule?.bank) {
    case 'us':
      return [
        holder,
        field('routing_number', 'Routing number', '^\\d{9}$'),
        field('account_number', 'Account number', '^\\d{4,17}$'),
      ];
    case 'ca':
      return [
        holder,
        field('transit_number', 'Transit number', '^\\d{5}$'),
        field('institution_number', 'Institution number', '^\\d{3}$'),
        field('account_number', 'Account number', '^\\d{7,12}$'),
      ];
    case 'gb':
      return [
        holder,
        field('sort_code', 'Sort code', '^\\d{2}-?\\d{2}-?\\d{2}$'),
        field('account_number', 'Account number', '^\\d{8}$'),
      ];
    case 'au':
      return [
        holder,
        field('bsb', 'BSB', '^\\d{3}-?\\d{3}$'),
        field('account_number', 'Account number', '^\\d{5,9}$'),
      ];
    default:
      return [holder, field('iban', 'IBAN')];
  }
}

function representativeFields(country: string): FormField[] {
  const paths = [
    'first_name',
    'last_name',
    'email',
    'phone',
    'dob.day',
    'address.line1',
    'address.city',
    'address.postal_code',
    'relationship.title',
  ];
  if (countryRule(country)?.states) paths.push('address.state');
  const fields = paths.map((p) => fieldForRequirement(`representative.${p}`, country) as FormField);
  return fields.map((f) => ({ ...f, requirements: ['relationship.representative'] }));
}

/** Where a person's field goes in its section: name, contact, birth, address, role, ids, documents. */
const PERSON_FIELD_ORDER = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'dob',
  'address.line1',
  'address.line2',
  'address.city',
  'address.state',
  'address.postal_code',
  'relationship.title',
  'relationship.percent_ownership',
  'relationship.representative',
  'relationship.owner',
  'relationship.director',
  'relationship.executive',
  'ssn_last_4',
  'id_number',
  'verification.document',
  'verification.additional_document',
];

function personFieldRank(name: string): number {
  const rest = name.split('.').slice(1).join('.');
  const rank = PERSON_FIELD_ORDER.indexOf(rest);
  return rank === -1 ? PERSON_FIELD_ORDER.length : rank;
}

function sectionRank(section: string): number {
  const roles = Object.keys(NEW_PERSON_ROLES);
  return roles.includes(section) ? roles.indexOf(section) : roles.length;
}

/** The optional fields of a new person's section: the other roles the person holds, and its ownership. */
function newPersonExtras(role: NewPersonRole, country: string): FormField[] {
  const extras: FormField[] = [];
  const also: Record<string, string> = {
    owner: 'Also owns 25% or more of the company',
    director: 'Also a director',
    executive: 'Also an executive',
  };
  for (const [flag, text] of Object.entries(also)) {
    if (NEW_PERSON_ROLES[role] === flag) continue;
    extras.push({
      name: `${role}.relationship.${flag}`,
      requirements: [],
      type: 'boolean',
      label: text,
      required: false,
    });
  }
  if (role === 'owners' || role === 'representative') {
    const field = fieldForRequirement(
      `${role}.relationship.percent_ownership`,
      country,
    ) as FormField;
    extras.push({ ...field, requirements: [], required: false });
  }
  return extras;
}

/**
 * Groups a company's person fields into sections: one per role to add (with the role's optional extras) and
 * one per known person (headed by `personLabels`), after the account's own fields.
 */
function withSections(
  fields: FormField[],
  country: string,
  personLabels: Record<string, string>,
): FormField[] {
  const own: FormField[] = [];
  const sections = new Map<string, FormField[]>();
  for (const field of fields) {
    const root = field.name.split('.')[0];
    if (!isNewPersonRole(root) && !root.startsWith('person_')) {
      own.push(field);
      continue;
    }
    const list = sections.get(root) ?? [];
    list.push(field);
    sections.set(root, list);
  }
  for (const [root, list] of sections) {
    if (!isNewPersonRole(root)) continue;
    for (const extra of newPersonExtras(root, country))
      if (!list.some((f) => f.name === extra.name)) list.push(extra);
  }
  const ordered = [...sections.keys()].sort(
    (a, b) => sectionRank(a) - sectionRank(b) || a.localeCompare(b),
  );
  return [
    ...own,
    ...ordered.flatMap((root) =>
      sections
        .get(root)!
        .sort((a, b) => personFieldRank(a.name) - personFieldRank(b.name))
        .map((field) => ({
          ...field,
          section: root,
          sectionLabel: isNewPersonRole(root)
            ? SECTION_LABELS[root]
            : (personLabels[root] ?? 'A person of the company'),
        })),
    ),
  ];
}

/**
 * The whole form for a set of requirement paths: one field per name, in the order the paths came, a
 * company's persons in sections after the account's own fields. Where Stripe takes alternatives (a document
 * instead of an id number that did not match), both are offered, each optional, with a hint naming the other.
 * `personLabels` names known persons (`person_…` → "Jane Doe (director)").
 */
export function buildVerificationForm(
  requirements: string[],
  country: string,
  alternatives: RequirementAlternative[] = [],
  personLabels: Record<string, string> = {},
): FormField[] {
  const byName = new Map<string, FormField>();
  const add = (path: string) => {
    const mapped = fieldForRequirement(path, country);
    const fields = Array.isArray(mapped) ? mapped : [mapped];
    for (const field of fields) {
      const entry = byName.get(field.name) ?? { ...field, requirements: [] };
      for (const requirement of [...field.requirements, path]) {
        if (!entry.requirements.includes(requirement)) entry.requirements.push(requirement);
      }
      byName.set(field.name, entry);
    }
    return fields.map((field) => byName.get(field.name)!);
  };
  for (const path of requirements) add(path);
  for (const alternative of alternatives) {
    if (!alternative.originalFieldsDue.every((path) => requirements.includes(path))) continue;
    const originals = alternative.originalFieldsDue.flatMap(add);
    const replacements = alternative.alternativeFieldsDue.flatMap(add);
    const labels = (fields: FormField[]) => fields.map((f) => f.label.toLowerCase()).join(', ');
    for (const field of originals) {
      field.required = false;
      field.hint = `Or instead: ${labels(replacements)}`;
    }
    for (const field of replacements) {
      field.required = false;
      field.hint = `Instead of: ${labels(originals)}`;
    }
  }
  return withSections([...byName.values()], country, personLabels);
}

/** A human sentence for each of Stripe's requirement error codes; Stripe's own reason otherwise. */
const ERROR_MESSAGES: Record<string, string> = {
  invalid_address_city_state_postal_code: 'The city, state and postal code do not match.',
  invalid_dob_age_under_18: 'The person must be at least 18 years old.',
  invalid_dob_age_over_maximum: 'The date of birth is not plausible.',
  invalid_phone_number: 'The phone number is not valid.',
  invalid_tax_id: 'The tax id is not valid.',
  invalid_tax_id_format: 'The tax id is not in the right format.',
  invalid_url_denylisted: 'The website is not allowed.',
  invalid_url_website_inaccessible: 'The website could not be reached.',
  invalid_url_website_incomplete: 'The website looks incomplete.',
  invalid_url_website_other: 'The website could not be verified.',
  verification_document_expired: 'The document has expired.',
  verification_document_failed_greyscale: 'The document must be in colour.',
  verification_document_id_number_mismatch: 'The id number does not match the document.',
  verification_document_name_mismatch: 'The name does not match the document.',
  verification_document_not_readable: 'The document could not be read; upload a clearer image.',
  verification_document_too_large: 'The document is too large.',
  verification_failed_address_match: 'The address could not be verified.',
  verification_failed_id_number_match: 'The id number does not match the name and date of birth.',
  verification_failed_keyed_identity: 'The identity could not be verified from the details given.',
  verification_failed_name_match: 'The name could not be verified.',
  verification_failed_other: 'The information could not be verified.',
  verification_failed_tax_id_match: 'The tax id does not match the company name.',
  verification_failed_tax_id_not_issued: 'The tax id has not been issued.',
  verification_missing_owners: 'Some owners of the company are missing.',
  verification_missing_executives: 'Some executives of the company are missing.',
  verification_missing_directors: 'Some directors of the company are missing.',
  verification_requires_additional_memorandum_of_associations:
    'A memorandum of association is required.',
};

export function messageForRequirementError(code: string, reason?: string | null): string {
  if (ERROR_MESSAGES[code]) return ERROR_MESSAGES[code];
  if (code.startsWith('verification_document_'))
    return 'The document could not be verified; upload another.';
  if (code.startsWith('verification_failed_'))
    return 'The information could not be verified; check it and try again.';
  if (code.startsWith('invalid_')) return 'This information is not valid; check it and try again.';
  return reason || 'Stripe needs this information again.';
}
