/**
 * Accounts, their capabilities and their external accounts as Stripe renders them in today's API:
 * `requirements`, `future_requirements`, `capabilities`, `controller`, `individual` / `company` (never echoing
 * id numbers), `tos_acceptance`.
 */
import type { SandboxStore, StoredObject } from '../sandbox.store.js';
import {
  externalAccountsOf,
  stateOf,
  type AccountData,
  type ExternalAccountData,
} from './account-data.js';
import { deriveStatus } from './account-requirements.js';
import { renderIndividual } from './person-render.js';

/** Requirements Stripe has not announced yet: the sandbox never has any. */
function noFutureRequirements(): Record<string, unknown> {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [],
    disabled_reason: null,
    errors: [],
    eventually_due: [],
    past_due: [],
    pending_verification: [],
  };
}

export function renderExternalAccount(stored: StoredObject): Record<string, unknown> {
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
}

function renderCompany(data: AccountData): Record<string, unknown> | undefined {
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
}

function renderBusinessProfile(data: AccountData): Record<string, unknown> {
  return {
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
  };
}

function renderTosAcceptance(data: AccountData): Record<string, unknown> {
  const tos = data.tos_acceptance;
  return {
    date: tos.date ?? null,
    ip: tos.ip ?? null,
    user_agent: tos.user_agent ?? null,
    ...(tos.service_agreement ? { service_agreement: tos.service_agreement } : {}),
  };
}

/** The first page of an account's external accounts, as `account.external_accounts` embeds it. */
function renderExternalAccountList(store: SandboxStore, accountId: string) {
  const external = externalAccountsOf(store, accountId);
  return {
    object: 'list',
    data: external.slice(0, 10).map(renderExternalAccount),
    has_more: external.length > 10,
    total_count: external.length,
    url: `/v1/accounts/${accountId}/external_accounts`,
  };
}

export function renderAccount(store: SandboxStore, stored: StoredObject): Record<string, unknown> {
  const data = stored.data as unknown as AccountData;
  if (data.deleted) return { id: data.id, object: 'account', deleted: true };
  const status = deriveStatus(stateOf(store, data));
  const company = renderCompany(data);
  const individual = renderIndividual(data);
  return {
    id: data.id,
    object: 'account',
    business_profile: renderBusinessProfile(data),
    business_type: data.business_type,
    capabilities: status.capabilities,
    charges_enabled: status.charges_enabled,
    ...(company ? { company } : {}),
    controller: data.controller,
    country: data.country,
    created: data.created,
    default_currency: data.default_currency,
    details_submitted: status.details_submitted,
    email: data.email,
    external_accounts: renderExternalAccountList(store, data.id),
    future_requirements: noFutureRequirements(),
    ...(individual ? { individual } : {}),
    livemode: false,
    metadata: data.metadata,
    payouts_enabled: status.payouts_enabled,
    requirements: status.requirements,
    settings: data.settings,
    tos_acceptance: renderTosAcceptance(data),
    type: data.type,
  };
}

export function renderCapability(
  store: SandboxStore,
  data: AccountData,
  name: string,
): Record<string, unknown> {
  const status = deriveStatus(stateOf(store, data));
  const capability = data.capabilities[name];
  const requirements = status.requirements as {
    currently_due: string[];
    past_due: string[];
    eventually_due: string[];
  };
  const active = status.capabilities[name] === 'active';
  return {
    id: name,
    object: 'capability',
    account: data.id,
    future_requirements: noFutureRequirements(),
    requested: capability?.requested ?? false,
    requested_at: capability?.requested_at ?? null,
    requirements: {
      alternatives: [],
      current_deadline: null,
      currently_due: requirements.currently_due,
      disabled_reason: !active && capability?.requested ? 'requirements.fields_needed' : null,
      errors: [],
      eventually_due: requirements.eventually_due,
      past_due: requirements.past_due,
      pending_verification: [],
    },
    status: capability?.requested ? status.capabilities[name] : 'unrequested',
  };
}
