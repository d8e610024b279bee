/**
 * Connected accounts (`/v1/accounts`), their external accounts and capabilities, and the platform's own
 * account (`/v1/account`), in the shapes of today's API: `requirements`, `future_requirements`,
 * `capabilities`, `controller`, `individual` / `company` (never echoing id numbers), `tos_acceptance`.
 */
import { isIP } from 'node:net';
import type { FormObject, FormValue } from '../form-codec.js';
import {
  invalidParam,
  invalidRequest,
  resourceMissing,
  SandboxOAuthError,
} from '../sandbox.errors.js';
import { newId, randomToken } from '../sandbox.ids.js';
import { matchesRange, paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import {
  DEADLINE_GRACE_SECONDS,
  DOCUMENT_REVIEW_SECONDS,
  deriveStatus,
  LATER_VERIFICATION_AFTER_SECONDS,
  laterFields,
  type AccountState,
} from './account-requirements.js';
import { readBankAccount, type BankAccountDetails } from './bank-accounts.js';
import { CAPABILITIES, SANDBOX_COUNTRIES } from './countries.js';
import { testAddress, testBankAccount } from './test-data.js';
import {
  applyMetadata,
  mergeHash,
  onlyKeys,
  optionalBoolean,
  optionalHash,
  optionalInteger,
  optionalString,
  previousAttributes,
} from './params.js';

type AccountType = 'custom' | 'express' | 'standard';

interface AccountData extends Omit<AccountState, 'external_account_count' | 'has_representative'> {
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

interface PersonData {
  id: string;
  account: string;
  created: number;
  details: Record<string, unknown>;
  relationship: Record<string, unknown>;
  metadata: Record<string, string>;
}

const RELATIONSHIP_KEYS = [
  'representative',
  'owner',
  'director',
  'executive',
  'title',
  'percent_ownership',
];

interface ExternalAccountData extends BankAccountDetails {
  id: string;
  object: 'bank_account';
  account: string;
  default_for_currency: boolean;
  metadata: Record<string, string>;
  status: string;
}

const ADDRESS_KEYS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'];
const INDIVIDUAL_KEYS = [
  'address',
  'dob',
  'email',
  'first_name',
  'last_name',
  'phone',
  'id_number',
  'ssn_last_4',
  'gender',
  'maiden_name',
  'metadata',
  'political_exposure',
  'verification',
];
const COMPANY_KEYS = [
  'address',
  'name',
  'phone',
  'tax_id',
  'registration_number',
  'structure',
  'owners_provided',
  'directors_provided',
  'executives_provided',
  'verification',
];
const PROFILE_KEYS = [
  'mcc',
  'name',
  'product_description',
  'support_email',
  'support_phone',
  'support_url',
  'url',
];
const ACCOUNT_PARAMS = [
  'business_profile',
  'business_type',
  'capabilities',
  'company',
  'default_currency',
  'documents',
  'email',
  'external_account',
  'individual',
  'metadata',
  'settings',
  'tos_acceptance',
];

/** A Person as Stripe renders it (an individual account's `individual`, or a company's person). */
function renderPersonShape(person: {
  id: string | null;
  account: string;
  country: string | null;
  created: number;
  details: Record<string, unknown>;
  relationship: Record<string, unknown>;
  metadata: Record<string, string>;
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
      currently_due: [],
      errors: [],
      eventually_due: [],
      past_due: [],
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

function controllerFor(type: AccountType): Record<string, unknown> {
  switch (type) {
    case 'custom':
      return {
        fees: { payer: 'application_custom' },
        is_controller: true,
        losses: { payments: 'application' },
        requirement_collection: 'application',
        stripe_dashboard: { type: 'none' },
        type: 'application',
      };
    case 'express':
      return {
        fees: { payer: 'application_express' },
        is_controller: true,
        losses: { payments: 'application' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'express' },
        type: 'application',
      };
    default:
      return {
        fees: { payer: 'account' },
        is_controller: true,
        losses: { payments: 'stripe' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'full' },
        type: 'application',
      };
  }
}

/** `controller` properties instead of `type`: the type they amount to. */
function typeFromController(controller: FormObject): AccountType {
  const dashboard = (controller.stripe_dashboard as FormObject | undefined)?.type;
  const collection = controller.requirement_collection;
  if (dashboard === 'express') return 'express';
  if (dashboard === 'none' || collection === 'application') return 'custom';
  return 'standard';
}

function readAddress(value: FormValue, param: string, country: string): FormObject {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      param,
      `Invalid object: ${param} must be a hash`,
      'parameter_invalid_object',
    );
  }
  onlyKeys(value, ADDRESS_KEYS, param);
  const state = value.state;
  if (
    typeof state === 'string' &&
    state &&
    SANDBOX_COUNTRIES[country]?.hasState &&
    !/^[A-Za-z]{2,3}$/.test(state)
  ) {
    throw invalidParam(`${param}[state]`, `Invalid state: ${state}`, 'invalid_address_state');
  }
  return value;
}

function readDob(value: FormValue, param: string, now: number): Record<string, number> {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      param,
      `Invalid object: ${param} must be a hash`,
      'parameter_invalid_object',
    );
  }
  onlyKeys(value, ['day', 'month', 'year'], param);
  const year = optionalInteger(value, 'year', `${param}[year]`);
  const month = optionalInteger(value, 'month', `${param}[month]`);
  const day = optionalInteger(value, 'day', `${param}[day]`);
  const currentYear = new Date(now * 1000).getUTCFullYear();
  if (day !== undefined && (day < 1 || day > 31))
    throw invalidParam(`${param}[day]`, 'Invalid day: must be between 1 and 31');
  if (month !== undefined && (month < 1 || month > 12))
    throw invalidParam(`${param}[month]`, 'Invalid month: must be between 1 and 12');
  if (year !== undefined && (year < 1900 || year > currentYear)) {
    throw invalidParam(`${param}[year]`, `Invalid year: must be between 1900 and ${currentYear}`);
  }
  if (year !== undefined && month !== undefined && day !== undefined) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCDate() !== day) throw invalidParam(`${param}[day]`, 'Invalid date of birth');
    const age = (now * 1000 - date.getTime()) / (365.25 * 24 * 3600 * 1000);
    if (age < 13)
      throw invalidParam(
        `${param}[year]`,
        'You must be at least 13 years of age.',
        'invalid_dob_age_under_minimum',
      );
  }
  return {
    ...(day !== undefined ? { day } : {}),
    ...(month !== undefined ? { month } : {}),
    ...(year !== undefined ? { year } : {}),
  };
}

function readIndividual(
  current: Record<string, unknown> | null,
  value: FormObject,
  country: string,
  now: number,
  prefix = 'individual',
): Record<string, unknown> {
  /** `individual[dob]` on an account, `dob` on a person. */
  const param = (name: string) => (prefix ? `${prefix}[${name}]` : name);
  onlyKeys(value, prefix ? INDIVIDUAL_KEYS : [...INDIVIDUAL_KEYS, 'relationship'], prefix);
  const { address, dob, metadata: _metadata, relationship: _relationship, ...plain } = value;
  const next = mergeHash(current, plain);
  if (address !== undefined)
    next.address = mergeHash(
      current?.address as Record<string, unknown>,
      readAddress(address, param('address'), country),
    );
  if (dob !== undefined)
    next.dob = { ...(current?.dob as object), ...readDob(dob, param('dob'), now) };
  const ssn = optionalString(value, 'ssn_last_4', param('ssn_last_4'));
  if (ssn && !/^\d{4}$/.test(ssn))
    throw invalidParam(
      param('ssn_last_4'),
      'Invalid ssn_last_4: must be 4 digits',
      'invalid_ssn_last_4',
    );
  const idNumber = optionalString(value, 'id_number', param('id_number'));
  if (idNumber && country === 'US' && !/^\d{9}$/.test(idNumber.replace(/-/g, ''))) {
    throw invalidParam(
      param('id_number'),
      'Invalid id_number: a US SSN has 9 digits',
      'invalid_tax_id',
    );
  }
  const email = optionalString(value, 'email', param('email'));
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw invalidParam(param('email'), `Invalid email address: ${email}`, 'email_invalid');
  if (value.metadata !== undefined)
    next.metadata = applyMetadata((current?.metadata as Record<string, string>) ?? {}, value);
  // Stripe never returns id numbers; the sandbox does not even keep them, only that they were given.
  if (idNumber) {
    next.id_number_provided = true;
    // Stripe's test values: 111111111 fails the identity match; 000000000 and 222222222 match.
    next.id_number_mismatch = idNumber.replace(/-/g, '') === '111111111';
  }
  if (ssn) next.ssn_last_4_provided = true;
  delete next.id_number;
  delete next.ssn_last_4;
  return next;
}

function readCompany(
  current: Record<string, unknown> | null,
  value: FormObject,
  country: string,
): Record<string, unknown> {
  onlyKeys(value, COMPANY_KEYS, 'company');
  const { address, ...plain } = value;
  const next = mergeHash(current, plain);
  if (address !== undefined)
    next.address = mergeHash(
      current?.address as Record<string, unknown>,
      readAddress(address, 'company[address]', country),
    );
  for (const flag of ['owners_provided', 'directors_provided', 'executives_provided']) {
    const parsed = optionalBoolean(value, flag, `company[${flag}]`);
    if (parsed !== undefined) next[flag] = parsed;
  }
  const taxId = optionalString(value, 'tax_id', 'company[tax_id]');
  if (taxId && country === 'US' && !/^\d{9}$/.test(taxId.replace(/-/g, ''))) {
    throw invalidParam(
      'company[tax_id]',
      'Invalid tax_id: a US EIN has 9 digits',
      'invalid_tax_id',
    );
  }
  if (taxId) next.tax_id_provided = true;
  delete next.tax_id;
  delete next.registration_number;
  return next;
}

function readBusinessProfile(
  current: Record<string, unknown>,
  value: FormObject,
): Record<string, unknown> {
  onlyKeys(value, PROFILE_KEYS, 'business_profile');
  const mcc = optionalString(value, 'mcc', 'business_profile[mcc]');
  if (mcc && !/^\d{4}$/.test(mcc))
    throw invalidParam('business_profile[mcc]', `Invalid mcc: ${mcc}`, 'invalid_mcc');
  const url = optionalString(value, 'url', 'business_profile[url]');
  if (url) {
    try {
      new URL(url.includes('://') ? url : `https://${url}`);
    } catch {
      throw invalidParam('business_profile[url]', `Not a valid URL`, 'url_invalid');
    }
  }
  return mergeHash(current, value);
}

export function registerAccountRoutes(sandbox: StripeSandbox): void {
  const store = sandbox.store;

  const externalAccountsOf = (accountId: string) =>
    store.list<ExternalAccountData>('external_account', (e) => e.scope === accountId);

  const renderExternalAccount = (stored: StoredObject): Record<string, unknown> => {
    const {
      payout_failure_code: _code,
      instant_payouts: instant,
      ...visible
    } = stored.data as unknown as ExternalAccountData;
    return {
      ...visible,
      account_type: null,
      available_payout_methods: instant ? ['standard', 'instant'] : ['standard'],
      bank_name: 'STRIPE TEST BANK',
      customer: null,
      future_requirements: {
        currently_due: [],
        errors: [],
        past_due: [],
        pending_verification: [],
      },
      requirements: { currently_due: [], errors: [], past_due: [], pending_verification: [] },
    };
  };
  sandbox.renderer('external_account', ['ba'], renderExternalAccount);

  const personsOf = (accountId: string) =>
    store.list<PersonData>('person', (p) => p.scope === accountId);
  const stateOf = (data: AccountData): AccountState => ({
    ...data,
    external_account_count: externalAccountsOf(data.id).length,
    has_representative: personsOf(data.id).some((p) => p.data.relationship.representative === true),
  });

  const renderPerson = (data: AccountData): Record<string, unknown> | undefined => {
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
  };

  const renderCompany = (data: AccountData): Record<string, unknown> | undefined => {
    if (!data.company || data.business_type === 'individual') return undefined;
    const { tax_id_provided, ...rest } = data.company;
    return {
      address: {
        city: null,
        country: data.country,
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
        ...(rest.address as object),
      },
      directors_provided: rest.directors_provided ?? false,
      executives_provided: rest.executives_provided ?? false,
      name: rest.name ?? null,
      owners_provided: rest.owners_provided ?? false,
      phone: rest.phone ?? null,
      ...(rest.structure ? { structure: rest.structure } : {}),
      tax_id_provided: tax_id_provided === true,
      verification: { document: { back: null, details: null, details_code: null, front: null } },
    };
  };

  const renderAccount = (stored: StoredObject): Record<string, unknown> => {
    const data = stored.data as unknown as AccountData;
    if (data.deleted) return { id: data.id, object: 'account', deleted: true };
    const status = deriveStatus(stateOf(data));
    const external = externalAccountsOf(data.id);
    const tos = data.tos_acceptance;
    return {
      id: data.id,
      object: 'account',
      business_profile: {
        annual_revenue: null,
        estimated_worker_count: null,
        mcc: null,
        monthly_estimated_revenue: { amount: 0, currency: data.default_currency },
        name: null,
        product_description: null,
        support_address: null,
        support_email: null,
        support_phone: null,
        support_url: null,
        url: null,
        ...data.business_profile,
      },
      business_type: data.business_type,
      capabilities: status.capabilities,
      charges_enabled: status.charges_enabled,
      ...(renderCompany(data) ? { company: renderCompany(data) } : {}),
      controller: data.controller,
      country: data.country,
      created: data.created,
      default_currency: data.default_currency,
      details_submitted: status.details_submitted,
      email: data.email,
      external_accounts: {
        object: 'list',
        data: external.slice(0, 10).map(renderExternalAccount),
        has_more: external.length > 10,
        total_count: external.length,
        url: `/v1/accounts/${data.id}/external_accounts`,
      },
      future_requirements: {
        alternatives: [],
        current_deadline: null,
        currently_due: [],
        disabled_reason: null,
        errors: [],
        eventually_due: [],
        past_due: [],
        pending_verification: [],
      },
      ...(renderPerson(data) ? { individual: renderPerson(data) } : {}),
      livemode: false,
      metadata: data.metadata,
      payouts_enabled: status.payouts_enabled,
      requirements: status.requirements,
      settings: data.settings,
      tos_acceptance: {
        date: tos.date ?? null,
        ip: tos.ip ?? null,
        user_agent: tos.user_agent ?? null,
        ...(tos.service_agreement ? { service_agreement: tos.service_agreement } : {}),
      },
      type: data.type,
    };
  };
  sandbox.renderer('account', ['acct'], renderAccount);

  const renderCapability = (data: AccountData, name: string): Record<string, unknown> => {
    const status = deriveStatus(stateOf(data));
    const capability = data.capabilities[name];
    const requirements = status.requirements as {
      currently_due: string[];
      past_due: string[];
      eventually_due: string[];
    };
    return {
      id: name,
      object: 'capability',
      account: data.id,
      future_requirements: {
        alternatives: [],
        current_deadline: null,
        currently_due: [],
        disabled_reason: null,
        errors: [],
        eventually_due: [],
        past_due: [],
        pending_verification: [],
      },
      requested: capability?.requested ?? false,
      requested_at: capability?.requested_at ?? null,
      requirements: {
        alternatives: [],
        current_deadline: null,
        currently_due: requirements.currently_due,
        disabled_reason:
          status.capabilities[name] === 'active'
            ? null
            : capability?.requested
              ? 'requirements.fields_needed'
              : null,
        errors: [],
        eventually_due: requirements.eventually_due,
        past_due: requirements.past_due,
        pending_verification: [],
      },
      status: capability?.requested ? status.capabilities[name] : 'unrequested',
    };
  };

  /** The `request` of an event: the API request that caused it, or none for the clock's work. */
  const request = (ctx: RequestContext | null) => ({
    id: ctx?.requestId ?? null,
    idempotency_key: ctx?.idempotencyKey ?? null,
  });

  /** Emits `<type>` with `previous_attributes` when the object changed; answers the object as it is now. */
  const emitIfChanged = (
    ctx: RequestContext,
    type: string,
    scope: string,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
  ): Record<string, unknown> => {
    const previous = previousAttributes(before, after);
    if (previous)
      sandbox.emit(type, after, { scope, previousAttributes: previous, request: request(ctx) });
    return after;
  };

  /** The account, visible to the platform and to the account itself only. */
  const findAccount = (ctx: RequestContext, id = ctx.pathParams.id): StoredObject<AccountData> => {
    const stored = store.get<AccountData>(id);
    if (
      !stored ||
      stored.kind !== 'account' ||
      stored.data.deleted ||
      (ctx.scope !== null && ctx.scope !== id)
    ) {
      throw resourceMissing('account', id);
    }
    return stored;
  };

  /**
   * Runs a change and emits what Stripe would: `account.updated` with `previous_attributes` when the account
   * changed, and `capability.updated` for each capability whose state changed.
   */
  const changing = <T>(
    ctx: RequestContext | null,
    stored: StoredObject<AccountData>,
    change: () => T,
  ): T => {
    const before = renderAccount(stored);
    const capsBefore = Object.fromEntries(
      Object.keys(stored.data.capabilities).map((n) => [n, renderCapability(stored.data, n)]),
    );
    const result = change();
    const after = renderAccount(store.get(stored.id)!);
    const { external_accounts: _b, ...comparableBefore } = before;
    const { external_accounts: _a, ...comparableAfter } = after;
    const previous = previousAttributes(comparableBefore, comparableAfter);
    if (previous)
      sandbox.emit('account.updated', after, {
        scope: stored.id,
        previousAttributes: previous,
        request: request(ctx),
      });
    const current = store.get<AccountData>(stored.id)!.data;
    for (const name of Object.keys(current.capabilities)) {
      const capability = renderCapability(current, name);
      const old = capsBefore[name];
      if (!old || old.status !== capability.status || old.requested !== capability.requested) {
        sandbox.emit('capability.updated', capability, {
          scope: stored.id,
          previousAttributes: old
            ? previousAttributes(
                { status: old.status, requested: old.requested },
                { status: capability.status, requested: capability.requested },
              )
            : { status: 'unrequested' },
          request: request(ctx),
        });
      }
    }
    return result;
  };

  // Verification asked later: currently due after a while, past due (disabling) after its deadline.
  sandbox.onTask('requirements_due', (task) => {
    const stored = store.get<AccountData>(String(task.payload.account));
    if (!stored || stored.data.deleted || (stored.data.later_phase ?? 'none') !== 'none') return;
    if (!laterFields(stateOf(stored.data)).length) return;
    changing(null, stored, () => {
      const deadline = sandbox.clock.now() + DEADLINE_GRACE_SECONDS;
      stored.data = { ...stored.data, later_phase: 'due', deadline };
      store.save(stored);
      sandbox.scheduleTask('requirements_deadline', deadline, { account: stored.id });
    });
  });
  sandbox.onTask('requirements_deadline', (task) => {
    const stored = store.get<AccountData>(String(task.payload.account));
    if (!stored || stored.data.deleted || stored.data.later_phase !== 'due') return;
    changing(null, stored, () => {
      stored.data = {
        ...stored.data,
        later_phase: laterFields(stateOf(stored.data)).length ? 'past_due' : 'none',
      };
      store.save(stored);
    });
  });

  // The review of an identity document ends: it matches the identity, so the id number no longer fails.
  sandbox.onTask('document_review', (task) => {
    const stored = store.get<AccountData>(String(task.payload.account));
    if (!stored || stored.data.deleted || typeof stored.data.document_review_until !== 'number')
      return;
    changing(null, stored, () => {
      stored.data = {
        ...stored.data,
        individual: stored.data.individual
          ? { ...stored.data.individual, id_number_mismatch: false }
          : null,
        document_review_until: null,
      };
      store.save(stored);
    });
  });

  const addExternalAccount = (
    ctx: RequestContext | null,
    account: AccountData,
    value: FormValue,
    options: { defaultForCurrency?: boolean; metadata?: Record<string, string> } = {},
  ): StoredObject<ExternalAccountData> => {
    const details = readBankAccount(value, 'external_account', account.country);
    if (
      details.country !== account.country &&
      SANDBOX_COUNTRIES[account.country]?.bank !== 'iban'
    ) {
      throw invalidParam(
        'external_account',
        `The bank account's country (${details.country}) must be the account's country (${account.country}).`,
      );
    }
    const sameCurrency = externalAccountsOf(account.id).filter(
      (e) => e.data.currency === details.currency,
    );
    const makeDefault = options.defaultForCurrency === true || sameCurrency.length === 0;
    if (makeDefault) {
      for (const other of sameCurrency.filter((e) => e.data.default_for_currency)) {
        const previous = { default_for_currency: true };
        other.data = { ...other.data, default_for_currency: false };
        store.save(other);
        sandbox.emit('account.external_account.updated', renderExternalAccount(other), {
          scope: account.id,
          previousAttributes: previous,
          request: request(ctx),
        });
      }
    }
    const id = newId('ba');
    const stored = store.insert<ExternalAccountData>('external_account', account.id, id, {
      id,
      object: 'bank_account',
      account: account.id,
      ...details,
      default_for_currency: makeDefault,
      metadata: options.metadata ?? {},
      status: 'new',
    });
    sandbox.emit('account.external_account.created', renderExternalAccount(stored), {
      scope: account.id,
      request: request(ctx),
    });
    return stored;
  };

  const applyAccountParams = (
    ctx: RequestContext,
    data: AccountData,
    params: FormObject,
    creating: boolean,
  ): AccountData => {
    const now = ctx.sandbox.clock.now();
    const next: AccountData = { ...data, metadata: applyMetadata(data.metadata, params) };
    const email = optionalString(params, 'email');
    if (email !== undefined) {
      if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw invalidParam('email', `Invalid email address: ${email}`, 'email_invalid');
      next.email = email || null;
    }
    const businessType = optionalString(params, 'business_type');
    if (businessType !== undefined) {
      if (!['individual', 'company', 'non_profit', 'government_entity'].includes(businessType)) {
        throw invalidParam(
          'business_type',
          `Invalid business_type: must be one of individual, company, non_profit, or government_entity`,
        );
      }
      next.business_type = businessType;
    }
    const profile = optionalHash(params, 'business_profile');
    if (profile) next.business_profile = readBusinessProfile(next.business_profile, profile);
    const individual = optionalHash(params, 'individual');
    if (individual) {
      if (next.business_type && next.business_type !== 'individual') {
        throw invalidParam(
          'individual',
          `You cannot provide individual when business_type is ${next.business_type}.`,
        );
      }
      next.individual = readIndividual(next.individual, individual, next.country, now);
      next.individual_person_id ??= newId('person');
    }
    const company = optionalHash(params, 'company');
    if (company) {
      if (next.business_type === 'individual')
        throw invalidParam(
          'company',
          'You cannot provide company when business_type is individual.',
        );
      next.company = readCompany(next.company, company, next.country);
    }
    for (const [root, holder] of [
      ['individual', next.individual],
      ['company', next.company],
    ] as const) {
      const verification = holder?.verification as
        Record<string, Record<string, unknown>> | undefined;
      for (const kind of ['document', 'additional_document']) {
        for (const side of ['front', 'back']) {
          const file = verification?.[kind]?.[side];
          if (typeof file !== 'string' || !file || file.startsWith('file_identity_document_'))
            continue;
          const stored = store.get<{ purpose: string }>(file);
          if (!stored || stored.kind !== 'file' || stored.scope !== data.id) {
            throw resourceMissing('file', file, `${root}[verification][${kind}][${side}]`);
          }
          if (!['identity_document', 'additional_verification'].includes(stored.data.purpose)) {
            throw invalidParam(
              `${root}[verification][${kind}][${side}]`,
              `The file must have been uploaded with purpose identity_document`,
            );
          }
        }
      }
    }
    // A document for an individual whose id number did not match goes to review; the clock finishes it.
    const front = (holder: Record<string, unknown> | null) =>
      (holder?.verification as { document?: { front?: unknown } } | undefined)?.document?.front;
    const uploaded = front(next.individual);
    if (
      next.individual?.id_number_mismatch === true &&
      typeof uploaded === 'string' &&
      !uploaded.startsWith('file_identity_document_') &&
      uploaded !== front(data.individual)
    ) {
      next.document_review_until = now + DOCUMENT_REVIEW_SECONDS;
      ctx.sandbox.scheduleTask('document_review', next.document_review_until, { account: data.id });
    }
    const tos = optionalHash(params, 'tos_acceptance');
    if (tos) {
      if (next.type !== 'custom') {
        throw invalidParam(
          'tos_acceptance',
          `You cannot accept the Terms of Service on behalf of ${next.type === 'express' ? 'Express' : 'Standard'} connected accounts.`,
        );
      }
      onlyKeys(tos, ['date', 'ip', 'user_agent', 'service_agreement'], 'tos_acceptance');
      const date = optionalInteger(tos, 'date', 'tos_acceptance[date]');
      const ip = optionalString(tos, 'ip', 'tos_acceptance[ip]');
      if (ip && !isIP(ip)) throw invalidParam('tos_acceptance[ip]', `Invalid IP address: ${ip}`);
      next.tos_acceptance = {
        ...next.tos_acceptance,
        ...(date !== undefined ? { date } : {}),
        ...(ip ? { ip } : {}),
        ...(tos.user_agent !== undefined ? { user_agent: tos.user_agent } : {}),
        ...(tos.service_agreement !== undefined
          ? { service_agreement: tos.service_agreement }
          : {}),
      };
    }
    const currency = optionalString(params, 'default_currency');
    if (currency !== undefined) {
      if (!SANDBOX_COUNTRIES[next.country].currencies.includes(currency.toLowerCase())) {
        throw invalidParam(
          'default_currency',
          `Invalid currency: ${currency} is not supported for accounts in ${next.country}`,
        );
      }
      next.default_currency = currency.toLowerCase();
    }
    const documents = optionalHash(params, 'documents');
    if (documents) {
      for (const [kind, value] of Object.entries(documents)) {
        const files = typeof value === 'object' && !Array.isArray(value) ? value.files : undefined;
        const list = Array.isArray(files) ? files : typeof files === 'string' ? [files] : [];
        for (const [i, file] of list.entries()) {
          const stored = typeof file === 'string' ? store.get(file) : undefined;
          if (!stored || stored.kind !== 'file' || stored.scope !== data.id) {
            throw resourceMissing(
              'file',
              typeof file === 'string' ? file : JSON.stringify(file),
              `documents[${kind}][files][${i}]`,
            );
          }
        }
      }
      next.documents = mergeHash(next.documents, documents);
    }
    const settings = optionalHash(params, 'settings');
    if (settings) next.settings = mergeHash(next.settings, settings);
    const capabilities = optionalHash(params, 'capabilities');
    if (capabilities) {
      next.capabilities = { ...next.capabilities };
      for (const [name, value] of Object.entries(capabilities)) {
        if (!CAPABILITIES.includes(name))
          throw invalidParam(`capabilities[${name}]`, `Invalid capability: ${name}`);
        if (typeof value !== 'object' || Array.isArray(value))
          throw invalidParam(`capabilities[${name}]`, 'Invalid object');
        const requested = optionalBoolean(value, 'requested', `capabilities[${name}][requested]`);
        if (requested !== undefined) {
          const was = next.capabilities[name];
          next.capabilities[name] = {
            requested,
            requested_at: requested ? (was?.requested ? was.requested_at : now) : null,
          };
        }
      }
      if (
        next.capabilities.card_payments?.requested &&
        !next.capabilities.transfers?.requested &&
        next.country === 'US' &&
        next.type === 'custom'
      ) {
        throw invalidParam(
          'capabilities',
          'Accounts with the `card_payments` capability must also have the `transfers` capability.',
        );
      }
    }
    if (params.external_account !== undefined && !creating && next.type === 'standard') {
      throw invalidParam(
        'external_account',
        'You cannot add external accounts to a Standard account.',
      );
    }
    return next;
  };

  // ---- hosted onboarding: Account Links, login links, OAuth

  /** Fills an express or standard account with Stripe's test values, as a user completing onboarding. */
  const completeOnboarding = (stored: StoredObject<AccountData>): void => {
    changing(null, stored, () => {
      const data = stored.data;
      const country = data.country;
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
        next.individual = {
          first_name: 'Jenny',
          last_name: 'Rosen',
          email: data.email ?? 'jenny.rosen@example.com',
          phone: '0000000000',
          dob: { day: 1, month: 1, year: 1901 },
          address: testAddress(country),
          id_number_provided: true,
          ssn_last_4_provided: true,
          ...(data.individual ?? {}),
        };
        next.individual_person_id ??= newId('person');
      } else {
        next.company = {
          name: 'Rosen Industries',
          phone: '0000000000',
          address: testAddress(country),
          tax_id_provided: true,
          owners_provided: true,
          ...(data.company ?? {}),
        };
        if (!personsOf(data.id).some((p) => p.data.relationship.representative === true)) {
          const id = newId('person');
          store.insert<PersonData>('person', data.id, id, {
            id,
            account: data.id,
            created: sandbox.clock.now(),
            details: {
              first_name: 'Jenny',
              last_name: 'Rosen',
              dob: { day: 1, month: 1, year: 1901 },
              address: testAddress(country),
              id_number_provided: true,
            },
            relationship: { representative: true, executive: true, title: 'CEO' },
            metadata: {},
          });
        }
      }
      stored.data = next;
      store.save(stored);
      if (!externalAccountsOf(data.id).length) {
        addExternalAccount(null, next, testBankAccount(country, next.default_currency));
      }
    });
  };

  interface LinkData {
    account: string;
    type: string;
    refresh_url: string;
    return_url: string;
    expires_at: number;
    used: boolean;
  }

  sandbox.route(
    'POST',
    '/v1/account_links',
    (ctx) => {
      if (ctx.scope !== null) throw invalidRequest('Account Links are created by the platform.');
      const accountId = optionalString(ctx.params, 'account');
      if (!accountId)
        throw invalidParam('account', 'Missing required param: account.', 'parameter_missing');
      const account = findAccount(ctx, accountId);
      const type = optionalString(ctx.params, 'type');
      if (type !== 'account_onboarding' && type !== 'account_update') {
        throw invalidParam(
          'type',
          'Invalid type: must be one of account_onboarding or account_update',
        );
      }
      if (type === 'account_update' && account.data.type !== 'custom') {
        throw invalidParam(
          'type',
          'account_update links are only for accounts where the platform collects requirements',
        );
      }
      const urls: Record<string, string> = {};
      for (const name of ['refresh_url', 'return_url']) {
        const value = optionalString(ctx.params, name);
        if (!value)
          throw invalidParam(name, `Missing required param: ${name}.`, 'parameter_missing');
        try {
          if (!['http:', 'https:'].includes(new URL(value).protocol)) throw new Error('protocol');
        } catch {
          throw invalidParam(
            name,
            `Invalid URL: ${name} must be an http or https URL`,
            'url_invalid',
          );
        }
        urls[name] = value;
      }
      const created = ctx.sandbox.clock.now();
      const token = randomToken(32);
      store.insert<LinkData>('account_link', null, `link_${token}`, {
        account: account.id,
        type,
        refresh_url: urls.refresh_url,
        return_url: urls.return_url,
        expires_at: created + 300,
        used: false,
      });
      return {
        object: 'account_link',
        created,
        expires_at: created + 300,
        url: `${ctx.sandbox.url}/_sandbox/onboarding/${token}`,
      };
    },
    ['account', 'type', 'refresh_url', 'return_url', 'collect', 'collection_options'],
  );

  // The page an Account Link opens: completes onboarding with test data and returns, or refreshes when the
  // link expired or was used already (links are single use, as Stripe's).
  sandbox.page('GET', /^\/_sandbox\/onboarding\/([A-Za-z0-9]+)$/, (match) => {
    const link = store.get<LinkData>(`link_${match[1]}`);
    if (!link || link.kind !== 'account_link') throw resourceMissing('account link', match[1]);
    if (link.data.used || sandbox.clock.now() > link.data.expires_at)
      return { redirect: link.data.refresh_url };
    link.data = { ...link.data, used: true };
    store.save(link);
    const account = store.get<AccountData>(link.data.account);
    if (account && !account.data.deleted && account.data.type !== 'custom')
      completeOnboarding(account);
    return { redirect: link.data.return_url };
  });

  sandbox.route('POST', '/v1/accounts/:id/login_links', (ctx) => {
    if (ctx.scope !== null) throw resourceMissing('account', ctx.pathParams.id);
    const account = findAccount(ctx);
    if (account.data.type !== 'express') {
      throw invalidRequest('Login links can only be created for Express accounts.', 'account');
    }
    return {
      object: 'login_link',
      created: ctx.sandbox.clock.now(),
      url: `${ctx.sandbox.url}/_sandbox/express/${randomToken(24)}`,
    };
  });

  interface CodeData {
    account: string;
    expires_at: number;
    used: boolean;
  }
  const APPLICATION = {
    id: 'ca_sandbox_platform',
    object: 'application',
    name: 'Sandbox platform',
  };

  // Stripe's OAuth authorize page: the user "connects" a new standard account filled with test data.
  sandbox.page('GET', /^\/oauth\/authorize$/, (_match, query) => {
    const redirect = query.get('redirect_uri');
    if (!redirect)
      throw invalidParam(
        'redirect_uri',
        'Missing required param: redirect_uri.',
        'parameter_missing',
      );
    if (query.get('response_type') !== 'code')
      throw invalidParam('response_type', 'response_type must be code');
    if (!query.get('client_id')?.startsWith('ca_'))
      throw invalidParam('client_id', 'Invalid client_id');
    const id = newId('acct');
    const now = sandbox.clock.now();
    const rules = SANDBOX_COUNTRIES.US;
    const stored = store.insert<AccountData>('account', null, id, {
      id,
      object: 'account',
      type: 'standard',
      controller: { is_controller: false, type: 'account' },
      country: 'US',
      email: query.get('stripe_user[email]'),
      business_type: null,
      business_profile: {},
      individual: null,
      company: null,
      tos_acceptance: { date: now, ip: '127.0.0.1' },
      capabilities: {
        card_payments: { requested: true, requested_at: now },
        transfers: { requested: true, requested_at: now },
      },
      rejected: null,
      metadata: {},
      settings: {},
      created: now,
      default_currency: rules.defaultCurrency,
      individual_person_id: null,
    });
    completeOnboarding(stored);
    const code = `ac_${randomToken(24)}`;
    store.insert<CodeData>('oauth_code', null, code, {
      account: id,
      expires_at: now + 300,
      used: false,
    });
    const target = new URL(redirect);
    target.searchParams.set('code', code);
    target.searchParams.set('scope', query.get('scope') ?? 'read_write');
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { redirect: target.toString() };
  });

  sandbox.route(
    'POST',
    '/oauth/token',
    (ctx) => {
      const grant = optionalString(ctx.params, 'grant_type');
      if (grant !== 'authorization_code')
        throw new SandboxOAuthError(
          'unsupported_grant_type',
          `Unsupported grant type: ${grant ?? 'none'}`,
        );
      const code = optionalString(ctx.params, 'code') ?? '';
      const stored = store.get<CodeData>(code);
      if (
        !stored ||
        stored.kind !== 'oauth_code' ||
        stored.data.used ||
        ctx.sandbox.clock.now() > stored.data.expires_at
      ) {
        throw new SandboxOAuthError('invalid_grant', `Authorization code does not exist: ${code}`);
      }
      stored.data = { ...stored.data, used: true };
      store.save(stored);
      ctx.sandbox.emit('account.application.authorized', APPLICATION, {
        scope: stored.data.account,
        request: request(ctx),
      });
      return {
        access_token: `sk_test_oauth_${randomToken(24)}`,
        livemode: false,
        refresh_token: `rt_${randomToken(24)}`,
        scope: 'read_write',
        stripe_publishable_key: `pk_test_${randomToken(24)}`,
        stripe_user_id: stored.data.account,
        token_type: 'bearer',
      };
    },
    ['grant_type', 'code', 'refresh_token', 'assert_capabilities'],
  );

  sandbox.route(
    'POST',
    '/oauth/deauthorize',
    (ctx) => {
      const accountId = optionalString(ctx.params, 'stripe_user_id') ?? '';
      const stored = store.get<AccountData>(accountId);
      if (!optionalString(ctx.params, 'client_id')?.startsWith('ca_'))
        throw new SandboxOAuthError('invalid_client', 'No such application');
      if (!stored || stored.kind !== 'account' || stored.data.deleted || stored.data.deauthorized) {
        throw new SandboxOAuthError(
          'invalid_client',
          `This application is not connected to stripe account ${accountId}, or that account does not exist.`,
        );
      }
      stored.data = { ...stored.data, deauthorized: true };
      store.save(stored);
      ctx.sandbox.emit('account.application.deauthorized', APPLICATION, {
        scope: accountId,
        request: request(ctx),
      });
      return { stripe_user_id: accountId };
    },
    ['client_id', 'stripe_user_id'],
  );

  // ---- accounts

  sandbox.route(
    'POST',
    '/v1/accounts',
    (ctx) => {
      if (ctx.scope !== null)
        throw invalidRequest(
          'Connected accounts are created by the platform, without Stripe-Account.',
        );
      const typeParam = optionalString(ctx.params, 'type');
      const controller = optionalHash(ctx.params, 'controller');
      if (typeParam !== undefined && !['custom', 'express', 'standard'].includes(typeParam)) {
        throw invalidParam('type', 'Invalid type: must be one of custom, express, or standard');
      }
      const type: AccountType =
        (typeParam as AccountType | undefined) ??
        (controller ? typeFromController(controller) : 'standard');
      const country = (optionalString(ctx.params, 'country') ?? 'US').toUpperCase();
      const rules = SANDBOX_COUNTRIES[country];
      if (!rules)
        throw invalidParam(
          'country',
          `Country '${country}' is unknown or not supported by the sandbox.`,
          'country_unsupported',
        );
      const id = newId('acct');
      let data: AccountData = {
        id,
        object: 'account',
        type,
        controller: {
          ...controllerFor(type),
          ...(controller ? mergeHash(null, controller) : {}),
        },
        country,
        email: null,
        business_type: null,
        business_profile: {},
        individual: null,
        company: null,
        tos_acceptance: {},
        capabilities:
          type === 'standard'
            ? {
                card_payments: { requested: true, requested_at: ctx.sandbox.clock.now() },
                transfers: { requested: true, requested_at: ctx.sandbox.clock.now() },
              }
            : {},
        rejected: null,
        metadata: {},
        settings: {
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
        },
        created: ctx.sandbox.clock.now(),
        default_currency: rules.defaultCurrency,
        individual_person_id: null,
      };
      data = applyAccountParams(ctx, data, ctx.params, true);
      // Validate the bank account before anything is stored: a rejection leaves nothing behind.
      if (ctx.params.external_account !== undefined) {
        if (type === 'standard')
          throw invalidParam(
            'external_account',
            'You cannot add external accounts to a Standard account.',
          );
        readBankAccount(ctx.params.external_account, 'external_account', country);
      }
      const stored = store.insert('account', null, id, data);
      if (type === 'custom') {
        ctx.sandbox.scheduleTask(
          'requirements_due',
          data.created + LATER_VERIFICATION_AFTER_SECONDS,
          { account: id },
        );
      }
      if (ctx.params.external_account !== undefined)
        addExternalAccount(ctx, data, ctx.params.external_account);
      for (const name of Object.keys(data.capabilities)) {
        ctx.sandbox.emit('capability.updated', renderCapability(data, name), {
          scope: id,
          previousAttributes: { status: 'unrequested' },
          request: request(ctx),
        });
      }
      return renderAccount(stored);
    },
    [...ACCOUNT_PARAMS, 'type', 'country', 'controller'],
  );

  sandbox.route('GET', '/v1/accounts/:id', (ctx) => renderAccount(findAccount(ctx)));

  sandbox.route('GET', '/v1/account', (ctx) => {
    if (ctx.scope) return renderAccount(findAccount(ctx, ctx.scope));
    return {
      id: ctx.sandbox.platformAccountId,
      object: 'account',
      business_profile: { mcc: null, name: 'Sandbox platform', url: null, support_email: null },
      business_type: 'company',
      capabilities: { card_payments: 'active', transfers: 'active' },
      charges_enabled: true,
      country: 'US',
      created: 1_700_000_000,
      default_currency: 'usd',
      details_submitted: true,
      email: 'platform@sandbox.invalid',
      metadata: {},
      payouts_enabled: true,
      settings: {
        branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
        card_payments: {
          decline_on: { avs_failure: false, cvc_failure: false },
          statement_descriptor_prefix: null,
        },
        dashboard: { display_name: 'Sandbox platform', timezone: 'Etc/UTC' },
        payments: { statement_descriptor: 'SANDBOX' },
      },
      type: 'standard',
    };
  });

  sandbox.route(
    'POST',
    '/v1/accounts/:id',
    (ctx) => {
      const stored = findAccount(ctx);
      return changing(ctx, stored, () => {
        const next = applyAccountParams(ctx, stored.data, ctx.params, false);
        if (ctx.params.external_account !== undefined)
          readBankAccount(ctx.params.external_account, 'external_account', next.country);
        stored.data = next;
        store.save(stored);
        if (ctx.params.external_account !== undefined)
          addExternalAccount(ctx, next, ctx.params.external_account, { defaultForCurrency: true });
        return renderAccount(stored);
      });
    },
    ACCOUNT_PARAMS,
  );

  sandbox.route('DELETE', '/v1/accounts/:id', (ctx) => {
    if (ctx.scope !== null) throw resourceMissing('account', ctx.pathParams.id);
    const stored = findAccount(ctx);
    stored.data = { ...stored.data, deleted: true };
    store.save(stored);
    return { id: stored.id, object: 'account', deleted: true };
  });

  sandbox.route(
    'POST',
    '/v1/accounts/:id/reject',
    (ctx) => {
      if (ctx.scope !== null) throw resourceMissing('account', ctx.pathParams.id);
      const stored = findAccount(ctx);
      const reason = optionalString(ctx.params, 'reason');
      if (!reason)
        throw invalidParam('reason', 'Missing required param: reason.', 'parameter_missing');
      if (!['fraud', 'terms_of_service', 'other'].includes(reason)) {
        throw invalidParam(
          'reason',
          'Invalid reason: must be one of fraud, terms_of_service, or other',
        );
      }
      if (stored.data.type === 'standard')
        throw invalidRequest('Standard accounts cannot be rejected by the platform.', 'account');
      return changing(ctx, stored, () => {
        stored.data = { ...stored.data, rejected: reason };
        store.save(stored);
        return renderAccount(stored);
      });
    },
    ['reason'],
  );

  sandbox.route(
    'GET',
    '/v1/accounts',
    (ctx) => {
      if (ctx.scope !== null)
        return paginate(ctx.params, [], renderAccount, '/v1/accounts', 'account');
      const items = store.list<AccountData>(
        'account',
        (a) => !a.data.deleted && matchesRange(a.data.created, ctx.params.created, 'created'),
      );
      return paginate(ctx.params, items, renderAccount, '/v1/accounts', 'account');
    },
    ['limit', 'starting_after', 'ending_before', 'created'],
  );

  // ---- capabilities

  sandbox.route('GET', '/v1/accounts/:id/capabilities', (ctx) => {
    const account = findAccount(ctx).data;
    const names = Object.keys(account.capabilities).sort();
    return {
      object: 'list',
      data: names.map((n) => renderCapability(account, n)),
      has_more: false,
      url: `/v1/accounts/${account.id}/capabilities`,
    };
  });

  sandbox.route('GET', '/v1/accounts/:id/capabilities/:capability', (ctx) => {
    const account = findAccount(ctx).data;
    if (!CAPABILITIES.includes(ctx.pathParams.capability))
      throw resourceMissing('capability', ctx.pathParams.capability, 'capability');
    return renderCapability(account, ctx.pathParams.capability);
  });

  sandbox.route(
    'POST',
    '/v1/accounts/:id/capabilities/:capability',
    (ctx) => {
      const stored = findAccount(ctx);
      const name = ctx.pathParams.capability;
      if (!CAPABILITIES.includes(name)) throw resourceMissing('capability', name, 'capability');
      const requested = optionalBoolean(ctx.params, 'requested');
      return changing(ctx, stored, () => {
        if (requested !== undefined) {
          stored.data = applyAccountParams(
            ctx,
            stored.data,
            { capabilities: { [name]: { requested: String(requested) } } },
            false,
          );
          store.save(stored);
        }
        return renderCapability(stored.data, name);
      });
    },
    ['requested'],
  );

  // ---- persons (representatives, owners, directors, executives of a company)

  const renderPersonObject = (stored: StoredObject): Record<string, unknown> => {
    const person = stored.data as PersonData;
    return renderPersonShape({
      id: person.id,
      account: person.account,
      country: store.get<AccountData>(person.account)?.data.country ?? null,
      created: person.created,
      details: person.details,
      relationship: person.relationship,
      metadata: person.metadata,
    });
  };
  sandbox.renderer('person', ['person'], renderPersonObject);

  const readRelationship = (
    current: Record<string, unknown>,
    params: FormObject,
  ): Record<string, unknown> => {
    const value = optionalHash(params, 'relationship');
    if (!value) return current;
    onlyKeys(value, RELATIONSHIP_KEYS, 'relationship');
    const next = { ...current };
    for (const flag of ['representative', 'owner', 'director', 'executive']) {
      const parsed = optionalBoolean(value, flag, `relationship[${flag}]`);
      if (parsed !== undefined) next[flag] = parsed;
    }
    const title = optionalString(value, 'title', 'relationship[title]');
    if (title !== undefined) next.title = title || null;
    if (value.percent_ownership !== undefined) {
      const percent = Number(value.percent_ownership);
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw invalidParam(
          'relationship[percent_ownership]',
          'Invalid percent_ownership: must be between 0 and 100',
        );
      }
      next.percent_ownership = percent;
    }
    return next;
  };

  const findPerson = (ctx: RequestContext, account: AccountData): StoredObject<PersonData> => {
    const stored = store.get<PersonData>(ctx.pathParams.person);
    if (!stored || stored.kind !== 'person' || stored.scope !== account.id)
      throw resourceMissing('person', ctx.pathParams.person);
    return stored;
  };

  const PERSON_PARAMS = [
    ...INDIVIDUAL_KEYS.filter((k) => k !== 'metadata'),
    'relationship',
    'metadata',
  ];

  sandbox.route(
    'POST',
    '/v1/accounts/:id/persons',
    (ctx) => {
      const account = findAccount(ctx);
      return changing(ctx, account, () => {
        const { relationship: _r, metadata: _m, ...details } = ctx.params;
        const id = newId('person');
        const stored = store.insert<PersonData>('person', account.id, id, {
          id,
          account: account.id,
          created: ctx.sandbox.clock.now(),
          details: readIndividual(null, details, account.data.country, ctx.sandbox.clock.now(), ''),
          relationship: readRelationship({}, ctx.params),
          metadata: applyMetadata({}, ctx.params),
        });
        const body = renderPersonObject(stored);
        ctx.sandbox.emit('person.created', body, { scope: account.id, request: request(ctx) });
        return body;
      });
    },
    PERSON_PARAMS,
  );

  sandbox.route('GET', '/v1/accounts/:id/persons/:person', (ctx) =>
    renderPersonObject(findPerson(ctx, findAccount(ctx).data)),
  );

  sandbox.route(
    'POST',
    '/v1/accounts/:id/persons/:person',
    (ctx) => {
      const account = findAccount(ctx);
      const stored = findPerson(ctx, account.data);
      return changing(ctx, account, () => {
        const before = renderPersonObject(stored);
        const { relationship: _r, metadata: _m, ...details } = ctx.params;
        stored.data = {
          ...stored.data,
          details: readIndividual(
            stored.data.details,
            details,
            account.data.country,
            ctx.sandbox.clock.now(),
            '',
          ),
          relationship: readRelationship(stored.data.relationship, ctx.params),
          metadata: applyMetadata(stored.data.metadata, ctx.params),
        };
        store.save(stored);
        return emitIfChanged(ctx, 'person.updated', account.id, before, renderPersonObject(stored));
      });
    },
    PERSON_PARAMS,
  );

  sandbox.route('DELETE', '/v1/accounts/:id/persons/:person', (ctx) => {
    const account = findAccount(ctx);
    const stored = findPerson(ctx, account.data);
    return changing(ctx, account, () => {
      const last = renderPersonObject(stored);
      store.remove(stored.id);
      ctx.sandbox.emit('person.deleted', last, { scope: account.id, request: request(ctx) });
      return { id: stored.id, object: 'person', deleted: true };
    });
  });

  sandbox.route(
    'GET',
    '/v1/accounts/:id/persons',
    (ctx) => {
      const account = findAccount(ctx).data;
      const relationship = optionalHash(ctx.params, 'relationship') ?? {};
      const wanted = ['representative', 'owner', 'director', 'executive'].filter(
        (flag) => relationship[flag] === 'true',
      );
      const items = personsOf(account.id).filter((p) =>
        wanted.every((flag) => p.data.relationship[flag] === true),
      );
      return paginate(
        ctx.params,
        items,
        renderPersonObject,
        `/v1/accounts/${account.id}/persons`,
        'person',
      );
    },
    ['limit', 'starting_after', 'ending_before', 'relationship'],
  );

  // ---- external accounts

  const findExternal = (
    ctx: RequestContext,
    account: AccountData,
  ): StoredObject<ExternalAccountData> => {
    const stored = store.get<ExternalAccountData>(ctx.pathParams.external);
    if (!stored || stored.kind !== 'external_account' || stored.scope !== account.id) {
      throw resourceMissing('external account', ctx.pathParams.external);
    }
    return stored;
  };

  sandbox.route(
    'POST',
    '/v1/accounts/:id/external_accounts',
    (ctx) => {
      const stored = findAccount(ctx);
      if (stored.data.type === 'standard')
        throw invalidParam(
          'external_account',
          'You cannot add external accounts to a Standard account.',
        );
      const value = ctx.params.external_account;
      if (value === undefined || value === '')
        throw invalidParam(
          'external_account',
          'Missing required param: external_account.',
          'parameter_missing',
        );
      return changing(ctx, stored, () =>
        renderExternalAccount(
          addExternalAccount(ctx, stored.data, value, {
            defaultForCurrency: optionalBoolean(ctx.params, 'default_for_currency'),
            metadata: applyMetadata({}, ctx.params),
          }),
        ),
      );
    },
    ['external_account', 'default_for_currency', 'metadata'],
  );

  sandbox.route('GET', '/v1/accounts/:id/external_accounts/:external', (ctx) =>
    renderExternalAccount(findExternal(ctx, findAccount(ctx).data)),
  );

  sandbox.route(
    'POST',
    '/v1/accounts/:id/external_accounts/:external',
    (ctx) => {
      const account = findAccount(ctx);
      const stored = findExternal(ctx, account.data);
      const makeDefault = optionalBoolean(ctx.params, 'default_for_currency');
      if (makeDefault === false && stored.data.default_for_currency) {
        throw invalidParam(
          'default_for_currency',
          'You cannot unset the default external account for a currency; make another one the default instead.',
        );
      }
      return changing(ctx, account, () => {
        const before = renderExternalAccount(stored);
        if (makeDefault) {
          for (const other of externalAccountsOf(account.id).filter(
            (e) =>
              e.id !== stored.id &&
              e.data.currency === stored.data.currency &&
              e.data.default_for_currency,
          )) {
            other.data = { ...other.data, default_for_currency: false };
            store.save(other);
            ctx.sandbox.emit('account.external_account.updated', renderExternalAccount(other), {
              scope: account.id,
              previousAttributes: { default_for_currency: true },
              request: request(ctx),
            });
          }
        }
        const holderName = optionalString(ctx.params, 'account_holder_name');
        const holderType = optionalString(ctx.params, 'account_holder_type');
        if (holderType !== undefined && !['individual', 'company', ''].includes(holderType)) {
          throw invalidParam(
            'account_holder_type',
            'Invalid account_holder_type: must be individual or company',
          );
        }
        stored.data = {
          ...stored.data,
          ...(makeDefault ? { default_for_currency: true } : {}),
          ...(holderName !== undefined ? { account_holder_name: holderName || null } : {}),
          ...(holderType !== undefined
            ? {
                account_holder_type: (holderType ||
                  null) as ExternalAccountData['account_holder_type'],
              }
            : {}),
          metadata: applyMetadata(stored.data.metadata, ctx.params),
        };
        store.save(stored);
        return emitIfChanged(
          ctx,
          'account.external_account.updated',
          account.id,
          before,
          renderExternalAccount(stored),
        );
      });
    },
    ['default_for_currency', 'metadata', 'account_holder_name', 'account_holder_type'],
  );

  sandbox.route('DELETE', '/v1/accounts/:id/external_accounts/:external', (ctx) => {
    const account = findAccount(ctx);
    const stored = findExternal(ctx, account.data);
    if (
      stored.data.default_for_currency &&
      stored.data.currency === account.data.default_currency
    ) {
      throw invalidParam(
        'external_account',
        'You cannot delete the default external account for your default currency. Please make another external account the default using the `default_for_currency` param, and then delete this one.',
      );
    }
    return changing(ctx, account, () => {
      const last = renderExternalAccount(stored);
      store.remove(stored.id);
      ctx.sandbox.emit('account.external_account.deleted', last, {
        scope: account.id,
        request: request(ctx),
      });
      return { id: stored.id, object: 'bank_account', deleted: true };
    });
  });

  sandbox.route(
    'GET',
    '/v1/accounts/:id/external_accounts',
    (ctx) => {
      const account = findAccount(ctx).data;
      const object = optionalString(ctx.params, 'object');
      if (object !== undefined && object !== 'bank_account' && object !== 'card') {
        throw invalidParam('object', 'Invalid object: must be bank_account or card');
      }
      const items = externalAccountsOf(account.id).filter(
        (e) => object === undefined || e.data.object === object,
      );
      return paginate(
        ctx.params,
        items,
        renderExternalAccount,
        `/v1/accounts/${account.id}/external_accounts`,
        'external account',
      );
    },
    ['limit', 'starting_after', 'ending_before', 'object'],
  );
}
