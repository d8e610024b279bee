/**
 * The parameters of `POST /v1/accounts` and `POST /v1/accounts/:id`, applied to an account in Stripe's
 * order of validation: the first invalid parameter is the one reported.
 */
import { isIP } from 'node:net';
import type { FormObject } from '../form-codec.js';
import { invalidParam, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { SandboxStore } from '../sandbox.store.js';
import type { RequestContext } from '../stripe-sandbox.js';
import type { AccountData } from './account-data.js';
import { CAPABILITIES, SANDBOX_COUNTRIES } from './countries.js';
import { scheduleDocumentReview } from './requirements-schedule.js';
import { readBusinessProfile, readCompany, readIndividual } from './identity-params.js';
import {
  applyMetadata,
  mergeHash,
  onlyKeys,
  optionalBoolean,
  optionalHash,
  optionalInteger,
  optionalString,
} from './params.js';

/** The parameters both creating and updating an account take. */
export const ACCOUNT_PARAMS = [
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

/** Stripe's refusal of a bank account on a Standard account (which manages its own). */
export const NO_STANDARD_EXTERNAL_ACCOUNTS =
  'You cannot add external accounts to a Standard account.';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const BUSINESS_TYPES = ['individual', 'company', 'non_profit', 'government_entity'];

function applyContact(next: AccountData, params: FormObject): void {
  const email = optionalString(params, 'email');
  if (email !== undefined) {
    if (email && !EMAIL.test(email))
      throw invalidParam('email', `Invalid email address: ${email}`, 'email_invalid');
    next.email = email || null;
  }
  const businessType = optionalString(params, 'business_type');
  if (businessType !== undefined) {
    if (!BUSINESS_TYPES.includes(businessType)) {
      throw invalidParam(
        'business_type',
        `Invalid business_type: must be one of individual, company, non_profit, or government_entity`,
      );
    }
    next.business_type = businessType;
  }
  const profile = optionalHash(params, 'business_profile');
  if (profile) next.business_profile = readBusinessProfile(next.business_profile, profile);
}

function applyIdentity(next: AccountData, params: FormObject, now: number): void {
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
      throw invalidParam('company', 'You cannot provide company when business_type is individual.');
    next.company = readCompany(next.company, company, next.country);
  }
}

/** Identity documents named in `individual` / `company` must be the account's identity uploads. */
function checkVerificationFiles(store: SandboxStore, next: AccountData): void {
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
        const param = `${root}[verification][${kind}][${side}]`;
        const stored = store.get<{ purpose: string }>(file);
        if (!stored || stored.kind !== 'file' || stored.scope !== next.id) {
          throw resourceMissing('file', file, param);
        }
        if (!['identity_document', 'additional_verification'].includes(stored.data.purpose)) {
          throw invalidParam(
            param,
            `The file must have been uploaded with purpose identity_document`,
          );
        }
      }
    }
  }
}

function applyTosAcceptance(next: AccountData, params: FormObject): void {
  const tos = optionalHash(params, 'tos_acceptance');
  if (!tos) return;
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
    ...(tos.service_agreement !== undefined ? { service_agreement: tos.service_agreement } : {}),
  };
}

function applyDefaultCurrency(next: AccountData, params: FormObject): void {
  const currency = optionalString(params, 'default_currency');
  if (currency === undefined) return;
  if (!SANDBOX_COUNTRIES[next.country].currencies.includes(currency.toLowerCase())) {
    throw invalidParam(
      'default_currency',
      `Invalid currency: ${currency} is not supported for accounts in ${next.country}`,
    );
  }
  next.default_currency = currency.toLowerCase();
}

/** `documents[<kind>][files][]`: files the account uploaded. */
function applyDocuments(store: SandboxStore, next: AccountData, params: FormObject): void {
  const documents = optionalHash(params, 'documents');
  if (!documents) return;
  for (const [kind, value] of Object.entries(documents)) {
    const files = typeof value === 'object' && !Array.isArray(value) ? value.files : undefined;
    const list = Array.isArray(files) ? files : typeof files === 'string' ? [files] : [];
    for (const [i, file] of list.entries()) {
      const stored = typeof file === 'string' ? store.get(file) : undefined;
      if (!stored || stored.kind !== 'file' || stored.scope !== next.id) {
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

function applyCapabilities(next: AccountData, params: FormObject, now: number): void {
  const capabilities = optionalHash(params, 'capabilities');
  if (!capabilities) return;
  next.capabilities = { ...next.capabilities };
  for (const [name, value] of Object.entries(capabilities)) {
    if (!CAPABILITIES.includes(name))
      throw invalidParam(`capabilities[${name}]`, `Invalid capability: ${name}`);
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalidParam(`capabilities[${name}]`, 'Invalid object');
    const requested = optionalBoolean(value, 'requested', `capabilities[${name}][requested]`);
    if (requested === undefined) continue;
    const was = next.capabilities[name];
    next.capabilities[name] = {
      requested,
      requested_at: requested ? (was?.requested ? was.requested_at : now) : null,
    };
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

/** The account with `params` applied (nothing stored): throws on the first invalid parameter. */
export function applyAccountParams(
  ctx: RequestContext,
  data: AccountData,
  params: FormObject,
  creating: boolean,
): AccountData {
  const now = ctx.sandbox.clock.now();
  const store = ctx.sandbox.store;
  const next: AccountData = { ...data, metadata: applyMetadata(data.metadata, params) };
  applyContact(next, params);
  applyIdentity(next, params, now);
  checkVerificationFiles(store, next);
  scheduleDocumentReview(ctx.sandbox, data, next);
  applyTosAcceptance(next, params);
  applyDefaultCurrency(next, params);
  applyDocuments(store, next, params);
  const settings = optionalHash(params, 'settings');
  if (settings) next.settings = mergeHash(next.settings, settings);
  applyCapabilities(next, params, now);
  if (params.external_account !== undefined && !creating && next.type === 'standard') {
    throw invalidParam('external_account', NO_STANDARD_EXTERNAL_ACCOUNTS);
  }
  return next;
}
