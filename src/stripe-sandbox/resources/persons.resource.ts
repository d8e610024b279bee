/** The persons of a company account (`/v1/accounts/:id/persons`): representatives, owners, directors, executives. */
import type { FormObject } from '../form-codec.js';
import { invalidParam, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { changingAccount } from './account-changes.js';
import { findAccount, personsOf, type AccountData, type PersonData } from './account-data.js';
import { emitFrom, emitIfChanged } from './event-emission.js';
import { INDIVIDUAL_KEYS, readIndividual } from './identity-params.js';
import {
  applyMetadata,
  onlyKeys,
  optionalBoolean,
  optionalHash,
  optionalString,
  PAGE_PARAMS,
} from './params.js';
import { renderPersonObject } from './person-render.js';

const RELATIONSHIP_FLAGS = ['representative', 'owner', 'director', 'executive'];
const RELATIONSHIP_KEYS = [...RELATIONSHIP_FLAGS, 'title', 'percent_ownership'];
const PERSON_PARAMS = [
  ...INDIVIDUAL_KEYS.filter((k) => k !== 'metadata'),
  'relationship',
  'metadata',
];

function readPercentOwnership(value: FormObject): number {
  const percent = Number(value.percent_ownership);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw invalidParam(
      'relationship[percent_ownership]',
      'Invalid percent_ownership: must be between 0 and 100',
    );
  }
  return percent;
}

function readRelationship(
  current: Record<string, unknown>,
  params: FormObject,
): Record<string, unknown> {
  const value = optionalHash(params, 'relationship');
  if (!value) return current;
  onlyKeys(value, RELATIONSHIP_KEYS, 'relationship');
  const next = { ...current };
  for (const flag of RELATIONSHIP_FLAGS) {
    const parsed = optionalBoolean(value, flag, `relationship[${flag}]`);
    if (parsed !== undefined) next[flag] = parsed;
  }
  const title = optionalString(value, 'title', 'relationship[title]');
  if (title !== undefined) next.title = title || null;
  if (value.percent_ownership !== undefined) next.percent_ownership = readPercentOwnership(value);
  return next;
}

/** A person's identity parameters (all but `relationship` and `metadata`), read onto `current`. */
function readDetails(
  ctx: RequestContext,
  account: AccountData,
  current: Record<string, unknown> | null,
): Record<string, unknown> {
  const { relationship: _r, metadata: _m, ...details } = ctx.params;
  return readIndividual(current, details, account.country, ctx.sandbox.clock.now(), '');
}

function findPerson(ctx: RequestContext, account: AccountData): StoredObject<PersonData> {
  const stored = ctx.sandbox.store.get<PersonData>(ctx.pathParams.person);
  if (!stored || stored.kind !== 'person' || stored.scope !== account.id)
    throw resourceMissing('person', ctx.pathParams.person);
  return stored;
}

function createPerson(ctx: RequestContext): Record<string, unknown> {
  const account = findAccount(ctx);
  return changingAccount(ctx.sandbox, ctx, account, () => {
    const id = newId('person');
    const stored = ctx.sandbox.store.insert<PersonData>('person', account.id, id, {
      id,
      account: account.id,
      created: ctx.sandbox.clock.now(),
      details: readDetails(ctx, account.data, null),
      relationship: readRelationship({}, ctx.params),
      metadata: applyMetadata({}, ctx.params),
    });
    const body = renderPersonObject(ctx.sandbox.store, stored);
    emitFrom(ctx, 'person.created', body, account.id);
    return body;
  });
}

function retrievePerson(ctx: RequestContext): Record<string, unknown> {
  return renderPersonObject(ctx.sandbox.store, findPerson(ctx, findAccount(ctx).data));
}

function updatePerson(ctx: RequestContext): Record<string, unknown> {
  const account = findAccount(ctx);
  const stored = findPerson(ctx, account.data);
  const store = ctx.sandbox.store;
  return changingAccount(ctx.sandbox, ctx, account, () => {
    const before = renderPersonObject(store, stored);
    stored.data = {
      ...stored.data,
      details: readDetails(ctx, account.data, stored.data.details),
      relationship: readRelationship(stored.data.relationship, ctx.params),
      metadata: applyMetadata(stored.data.metadata, ctx.params),
    };
    store.save(stored);
    const after = renderPersonObject(store, stored);
    return emitIfChanged(ctx, 'person.updated', account.id, before, after);
  });
}

function deletePerson(ctx: RequestContext): Record<string, unknown> {
  const account = findAccount(ctx);
  const stored = findPerson(ctx, account.data);
  return changingAccount(ctx.sandbox, ctx, account, () => {
    const last = renderPersonObject(ctx.sandbox.store, stored);
    ctx.sandbox.store.remove(stored.id);
    emitFrom(ctx, 'person.deleted', last, account.id);
    return { id: stored.id, object: 'person', deleted: true };
  });
}

function listPersons(ctx: RequestContext): unknown {
  const account = findAccount(ctx).data;
  const relationship = optionalHash(ctx.params, 'relationship') ?? {};
  const wanted = RELATIONSHIP_FLAGS.filter((flag) => relationship[flag] === 'true');
  const items = personsOf(ctx.sandbox.store, account.id).filter((p) =>
    wanted.every((flag) => p.data.relationship[flag] === true),
  );
  const render = (stored: StoredObject<PersonData>) =>
    renderPersonObject(ctx.sandbox.store, stored);
  return paginate(ctx.params, items, render, `/v1/accounts/${account.id}/persons`, 'person');
}

export function registerPersons(sandbox: StripeSandbox): void {
  sandbox.renderer('person', ['person'], (stored) => renderPersonObject(sandbox.store, stored));
  sandbox.route('POST', '/v1/accounts/:id/persons', createPerson, PERSON_PARAMS);
  sandbox.route('GET', '/v1/accounts/:id/persons/:person', retrievePerson);
  sandbox.route('POST', '/v1/accounts/:id/persons/:person', updatePerson, PERSON_PARAMS);
  sandbox.route('DELETE', '/v1/accounts/:id/persons/:person', deletePerson);
  sandbox.route('GET', '/v1/accounts/:id/persons', listPersons, [...PAGE_PARAMS, 'relationship']);
}
