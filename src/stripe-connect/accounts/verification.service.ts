/**
 * The verification follow-up (pinax-stripe's `AdditionalCustomAccountForm`, for every requirement): what
 * Stripe needs of an account now, as a form to render, and the submission of that form to Stripe.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { FormValidationError, StripeRequestError } from '../common/stripe-connect.errors.js';
import { addFieldErrors, type FieldErrors } from '../common/validation.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { callStripe } from '../stripe/stripe-errors.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService, clientIp, type RequestMeta } from './accounts.service.js';
import {
  isAbaRoutingNumber,
  isIban,
  normalizeBsb,
  normalizeIban,
  normalizeSortCode,
} from './bank-validators.js';
import { countryRule } from './country-rules.js';
import { sniffDocumentType, type UploadedDocument } from '../common/file-type.js';
import {
  buildVerificationForm,
  DOCUMENT_MAX_BYTES,
  isNewPersonRole,
  messageForRequirementError,
  NEW_PERSON_ROLES,
  type FormField,
  type RequirementAlternative,
} from './verification-form.js';

/** The metadata key marking a person added by a follow-up form section (a digest of what was sent). */
export const FORM_SECTION_METADATA = 'connect_form_section';

/** Fields whose values never enter the section digest (national id numbers). */
const UNHASHED = /(^|\.)(ssn_last_4|id_number)$/;

/**
 * A digest of one new-person section of a submission (its field names and values, id numbers left out):
 * the same person sent again is recognised on the account by it, and not added twice.
 */
export function sectionDigest(
  accountId: string,
  root: string,
  body: Record<string, unknown>,
): string {
  const entries = Object.entries(body)
    .filter(([name]) => name.split('.')[0] === root && !UNHASHED.test(name))
    .map(([name, value]) => [name, typeof value === 'string' ? value.trim() : String(value)])
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([accountId, root, entries]))
    .digest('hex')
    .slice(0, 40);
}

/** "Jane Doe (owner, director)": how a known person heads its section of the form. */
function personLabel(person: Stripe.Person): string {
  const name = [person.first_name, person.last_name].filter(Boolean).join(' ') || 'A person';
  const roles = (['representative', 'owner', 'director', 'executive'] as const).filter(
    (role) => person.relationship?.[role] === true,
  );
  return roles.length ? `${name} (${roles.join(', ')})` : name;
}

export interface VerificationState {
  accountId: string;
  /** `platform`: this form collects what is due. `stripe`: Stripe collects it through hosted onboarding. */
  collectedBy: 'platform' | 'stripe';
  /** `requirements.current_deadline`: when what is currently due must be supplied. */
  dueBy: string | null;
  currentlyDue: string[];
  pastDue: string[];
  eventuallyDue: string[];
  pendingVerification: string[];
  disabledReason: string | null;
  errors: { requirement: string; code: string; message: string }[];
  /** Fields that may be given instead of others (`requirements.alternatives`). */
  alternatives: RequirementAlternative[];
  /** The form: one field per requirement due now (empty when nothing is due). */
  fields: FormField[];
}

type Params = Record<string, unknown>;

/** Sets `a.b.c` in a nested object. */
function setPath(target: Params, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Params;
  node[path[path.length - 1]] = value;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

@Injectable()
export class VerificationService {
  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly accounts: AccountsService,
    private readonly repository: AccountsRepository,
  ) {}

  /** What Stripe needs of the account, read live from Stripe. */
  async state(user: StripeConnectUser, id: string): Promise<VerificationState> {
    await this.accounts.get(user, id); // 404 unless the caller may see it
    const account = await callStripe(() => this.stripe.accounts.retrieve(id));
    return this.describe(account, await this.personsOf(account));
  }

  /** A company's persons (none for an individual), to name them in the form. */
  private async personsOf(account: Stripe.Account): Promise<Stripe.Person[]> {
    if (!account.business_type || account.business_type === 'individual') return [];
    return callStripe(() =>
      this.stripe.accounts
        .listPersons(account.id, { limit: 100 })
        .autoPagingToArray({ limit: 1000 }),
    );
  }

  describe(account: Stripe.Account, persons: Stripe.Person[] = []): VerificationState {
    const requirements = account.requirements;
    const collectedBy =
      account.controller?.requirement_collection === 'application' || account.type === 'custom'
        ? 'platform'
        : 'stripe';
    const due = [
      ...new Set([...(requirements?.currently_due ?? []), ...(requirements?.past_due ?? [])]),
    ];
    const alternatives = (requirements?.alternatives ?? []).map((a) => ({
      originalFieldsDue: a.original_fields_due,
      alternativeFieldsDue: a.alternative_fields_due,
    }));
    return {
      accountId: account.id,
      collectedBy,
      dueBy: requirements?.current_deadline
        ? new Date(requirements.current_deadline * 1000).toISOString()
        : null,
      currentlyDue: requirements?.currently_due ?? [],
      pastDue: requirements?.past_due ?? [],
      eventuallyDue: requirements?.eventually_due ?? [],
      pendingVerification: requirements?.pending_verification ?? [],
      disabledReason: requirements?.disabled_reason ?? null,
      errors: (requirements?.errors ?? []).map((e) => ({
        requirement: e.requirement,
        code: e.code,
        message: messageForRequirementError(e.code, e.reason),
      })),
      alternatives,
      fields:
        collectedBy === 'platform'
          ? buildVerificationForm(
              due,
              account.country ?? 'US',
              alternatives,
              Object.fromEntries(persons.map((p) => [p.id, personLabel(p)])),
            )
          : [],
    };
  }

  /**
   * Takes fields of the current form (anything else is refused), checks each by its type, and sends them to
   * Stripe: account fields in one update, each person's in one update of that person, a representative as a
   * new person. Answers the verification state after the update.
   */
  async submit(
    user: StripeConnectUser,
    id: string,
    body: Record<string, unknown>,
    meta: RequestMeta,
    files: UploadedDocument[] = [],
  ): Promise<VerificationState> {
    await this.accounts.get(user, id);
    const before = await callStripe(() => this.stripe.accounts.retrieve(id));
    const known = await this.personsOf(before);
    const state = this.describe(before, known);
    if (state.collectedBy === 'stripe') {
      throw new FormValidationError({
        form: ['Stripe collects this account’s information through its hosted onboarding'],
      });
    }
    const fields = new Map(state.fields.map((f) => [f.name, f]));
    const errors: FieldErrors = {};
    const fail = (name: string, message: string): undefined => {
      addFieldErrors(errors, name, [message]);
      return undefined;
    };
    if (!Object.keys(body).length && !files.length) fail('form', 'Nothing was submitted');
    // Documents: `<field>` is the front (or the only page), `<field>.back` the back.
    const documents: { field: FormField; side: 'front' | 'back'; file: UploadedDocument }[] = [];
    for (const file of files) {
      const back = file.fieldname.endsWith('.back');
      const name = back ? file.fieldname.slice(0, -'.back'.length) : file.fieldname;
      const field = fields.get(name);
      if (!field || field.type !== 'file') {
        fail(file.fieldname, 'is not a document of the current verification form');
        continue;
      }
      if (file.size > DOCUMENT_MAX_BYTES)
        fail(file.fieldname, `must be at most ${DOCUMENT_MAX_BYTES / 1024 / 1024} MB`);
      else if (!sniffDocumentType(file.buffer))
        fail(file.fieldname, 'must be a JPEG, PNG or PDF file (checked by its content)');
      else documents.push({ field, side: back ? 'back' : 'front', file });
    }
    // A new person's section sent again (after a later part of that submission failed) is recognised by
    // its digest on the person added then: it is done, not an unknown field.
    const added = new Set(
      known.map((p) => p.metadata?.[FORM_SECTION_METADATA]).filter((d): d is string => !!d),
    );
    const alreadyAdded = (root: string) =>
      isNewPersonRole(root) && added.has(sectionDigest(id, root, body));
    const values = new Map<string, unknown>();
    for (const [name, raw] of Object.entries(body)) {
      const field = fields.get(name);
      const root = name.split('.')[0];
      if (alreadyAdded(root)) continue;
      if (!field) {
        fail(name, 'is not part of the current verification form');
        continue;
      }
      if (field.type !== 'boolean' && !field.required && (raw === '' || raw === undefined))
        continue;
      const value = this.checkValue(field, raw, fail);
      if (value !== undefined) values.set(name, value);
    }
    // A person to add is all of its section or nothing.
    for (const root of Object.keys(NEW_PERSON_ROLES)) {
      if (![...values.keys()].some((name) => name.split('.')[0] === root)) continue;
      for (const field of state.fields) {
        if (
          field.section === root &&
          field.required &&
          !values.has(field.name) &&
          !errors[field.name]
        )
          fail(field.name, 'is required to add this person');
      }
    }
    const country = before.country ?? 'US';
    const bank = this.bankParams(
      values,
      country,
      before.default_currency ?? countryRule(country)?.currencies[0] ?? 'usd',
      fail,
    );
    if (Object.keys(errors).length) throw new FormValidationError(errors);

    const account: Params = {};
    const persons = new Map<string, Params>();
    for (const [name, value] of values) {
      if (name.startsWith('external_account.')) continue;
      const [root, ...rest] = name.split('.');
      if (name === 'tos_acceptance') {
        account.tos_acceptance = {
          date: Math.floor(Date.now() / 1000),
          ip: clientIp(meta.ip),
          ...(meta.userAgent ? { user_agent: meta.userAgent.slice(0, 500) } : {}),
        };
      } else if (root.startsWith('person_') || isNewPersonRole(root)) {
        const target = persons.get(root) ?? {};
        setPath(target, rest, value);
        persons.set(root, target);
      } else setPath(account, name.split('.'), value);
    }
    if (bank) account.external_account = bank;
    for (const { field, side, file } of documents) {
      const purpose = field.name.startsWith('documents.')
        ? 'account_requirement'
        : 'identity_document';
      const uploaded = await callStripe(
        () =>
          this.stripe.files.create(
            {
              purpose,
              file: {
                data: file.buffer,
                name: file.originalname || 'document',
                type: 'application/octet-stream',
              },
            },
            { stripeAccount: id },
          ),
        () => field.name,
      );
      const [root, ...rest] = field.name.split('.');
      if (root === 'documents') setPath(account, [...field.name.split('.')], [uploaded.id]);
      else if (root.startsWith('person_') || isNewPersonRole(root)) {
        const target = persons.get(root) ?? {};
        setPath(target, [...rest, side], uploaded.id);
        persons.set(root, target);
      } else setPath(account, [...field.name.split('.'), side], uploaded.id);
    }

    // Stripe's params (`individual[dob][year]`) name the form's fields (`individual.dob`).
    const fieldFor = (prefix: string) => (param: string) => {
      const path = [prefix, ...param.replace(/\]/g, '').split('[')].filter(Boolean).join('.');
      const field = state.fields.find(
        (f) => f.name === path || f.requirements.includes(path) || path.startsWith(`${f.name}.`),
      );
      return field?.name ?? path;
    };
    const key = meta.idempotencyKey
      ? `connect-verification:${user.id}:${id}:${meta.idempotencyKey}`
      : undefined;
    // Persons first, the account last: the company's `*_provided` attestations and its terms never land
    // without the persons they vouch for.
    const saved: string[] = [];
    try {
      for (const [root, params] of persons) {
        await this.writePerson(
          id,
          root,
          params,
          sectionDigest(id, root, body),
          key,
          fieldFor(root),
        );
        saved.push(root);
      }
    } catch (error) {
      throw this.partialFailure(error, saved, state.fields);
    }
    if (Object.keys(account).length) {
      await callStripe(
        () =>
          this.stripe.accounts.update(
            id,
            account as Stripe.AccountUpdateParams,
            key ? { idempotencyKey: key } : {},
          ),
        fieldFor(''),
      ).catch((error: unknown) => {
        throw this.partialFailure(error, saved, state.fields);
      });
    }
    const after = await callStripe(() => this.stripe.accounts.retrieve(id));
    await this.repository.saveSnapshot(after);
    return this.describe(after, await this.personsOf(after));
  }

  /**
   * Adds the person of a role's section (marked with its digest, so that the same section sent again is
   * recognised), or updates a known person.
   */
  private async writePerson(
    id: string,
    root: string,
    params: Params,
    digest: string,
    key: string | undefined,
    mapping: (param: string) => string,
  ): Promise<void> {
    if (isNewPersonRole(root)) {
      const { relationship, ...details } = params;
      await callStripe(
        () =>
          this.stripe.accounts.createPerson(
            id,
            {
              ...(details as Stripe.AccountCreatePersonParams),
              relationship: { ...(relationship as object), [NEW_PERSON_ROLES[root]]: true },
              metadata: { [FORM_SECTION_METADATA]: digest },
            },
            key ? { idempotencyKey: `${key}:${root}` } : {},
          ),
        mapping,
      );
      return;
    }
    await callStripe(
      () =>
        this.stripe.accounts.updatePerson(
          id,
          root,
          params as Stripe.AccountUpdatePersonParams,
          key ? { idempotencyKey: `${key}:${root}` } : {},
        ),
      mapping,
    );
  }

  /**
   * A Stripe refusal after some persons of the submission were saved: the field's error, and a word on
   * what was saved (sending the same form again completes it; the saved persons are not added twice).
   */
  private partialFailure(error: unknown, saved: string[], fields: FormField[]): unknown {
    if (!saved.length || !(error instanceof StripeRequestError) || error.status !== 400)
      return error;
    const headings = saved.map(
      (root) => fields.find((f) => f.section === root)?.sectionLabel ?? root,
    );
    return new FormValidationError({
      [error.field ?? 'form']: [error.message],
      form: [
        `Saved: ${headings.join('; ')}. Correct the rest and send the form again: what was saved is recognised, not added twice.`,
      ],
    });
  }

  /** A submitted value, checked by its field's type; undefined (with an error recorded) when it fails. */
  private checkValue(
    field: FormField,
    raw: unknown,
    fail: (name: string, message: string) => undefined,
  ): unknown {
    const text =
      typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined;
    switch (field.type) {
      case 'boolean': {
        if (raw !== true && raw !== 'true') return fail(field.name, 'must be true');
        return true;
      }
      case 'date': {
        const match = text ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
        const date = match
          ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
          : null;
        if (
          !match ||
          !date ||
          date.getUTCDate() !== Number(match[3]) ||
          date.getTime() > Date.now()
        ) {
          return fail(field.name, 'must be a past date, YYYY-MM-DD');
        }
        return { day: Number(match[3]), month: Number(match[2]), year: Number(match[1]) };
      }
      case 'file':
        return fail(field.name, 'documents are uploaded as multipart/form-data files');
      default: {
        if (!text) return fail(field.name, 'is required');
        if (text.length > 5000) return fail(field.name, 'is too long');
        if (field.type === 'email' && !EMAIL.test(text))
          return fail(field.name, 'must be an email address');
        if (field.type === 'tel' && !PHONE.test(text))
          return fail(field.name, 'must be a phone number');
        if (field.type === 'url' && !/^https?:\/\/[^\s]+\.[^\s]+$/.test(text))
          return fail(field.name, 'must be a URL starting with http:// or https://');
        if (field.type === 'select' && !field.options!.some((o) => o.value === text)) {
          return fail(
            field.name,
            `must be one of ${field.options!.map((o) => o.value).join(', ')}`,
          );
        }
        if (field.pattern && !new RegExp(field.pattern).test(text))
          return fail(field.name, 'is not in the expected format');
        return text;
      }
    }
  }

  /** The bank account fields of the form, as Stripe's `external_account` hash (checked by country). */
  private bankParams(
    values: Map<string, unknown>,
    country: string,
    currency: string,
    fail: (name: string, message: string) => void,
  ): Params | undefined {
    const get = (name: string) => values.get(`external_account.${name}`) as string | undefined;
    const names = [...values.keys()].filter((n) => n.startsWith('external_account.'));
    if (!names.length) return undefined;
    const rule = countryRule(country);
    const base = {
      object: 'bank_account',
      country,
      currency,
      account_holder_name: get('account_holder_name'),
    };
    const accountNumber = get('account_number')?.replace(/[\s-]/g, '');
    switch (rule?.bank) {
      case 'us':
        if (!isAbaRoutingNumber(get('routing_number') ?? ''))
          fail('external_account.routing_number', 'is not a valid ABA routing number');
        return { ...base, routing_number: get('routing_number'), account_number: accountNumber };
      case 'ca':
        return {
          ...base,
          routing_number: `${get('transit_number')}-${get('institution_number')}`,
          account_number: accountNumber,
        };
      case 'gb':
        return {
          ...base,
          routing_number: normalizeSortCode(get('sort_code') ?? ''),
          account_number: accountNumber,
        };
      case 'au':
        return {
          ...base,
          routing_number: normalizeBsb(get('bsb') ?? ''),
          account_number: accountNumber,
        };
      default:
        if (!isIban(get('iban') ?? '', country))
          fail('external_account.iban', `is not a valid ${country} IBAN`);
        return { ...base, account_number: normalizeIban(get('iban') ?? '') };
    }
  }
}
