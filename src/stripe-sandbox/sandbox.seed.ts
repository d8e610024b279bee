/**
 * Seeding: connected accounts as a platform adopting the library already has them at Stripe (the backfill's
 * test bed). Two template accounts are made through the sandbox's own API, so they are exactly what its
 * routes make (an enabled individual, and a company with its representative and an owner); each seeded account
 * is a copy of one, with fresh ids and `metadata.user_id`, its bank account and persons copied too. No events
 * are sent for the copies: they stand for accounts that existed before.
 */
import { encodeForm } from './form-codec.js';
import { invalidRequest } from './sandbox.errors.js';
import { newId } from './sandbox.ids.js';
import type { StoredObject } from './sandbox.store.js';
import type { StripeSandbox } from './stripe-sandbox.js';

export const SEED_MAX_ACCOUNTS = 100_000;

export interface SeedOptions {
  accounts: number;
  /** The share of company accounts (with persons), 0 to 100; default 20. */
  companyPercent?: number;
}

export interface SeedResult {
  object: 'sandbox_seed';
  accounts: number;
  companies: number;
  persons: number;
  external_accounts: number;
}

const ADDRESS = {
  line1: 'address_full_match',
  city: 'San Francisco',
  state: 'CA',
  postal_code: '94103',
};
const PERSON = {
  dob: { day: 1, month: 1, year: 1901 },
  address: ADDRESS,
  ssn_last_4: '0000',
  phone: '0000000000',
};
const COMMON = {
  type: 'custom',
  country: 'US',
  capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
  business_profile: { mcc: '5734', url: 'https://accessible.stripe.com' },
  tos_acceptance: { date: 1_700_000_000, ip: '203.0.113.7' },
  external_account: 'btok_us',
};

async function call(
  sandbox: StripeSandbox,
  path: string,
  params: Record<string, unknown>,
): Promise<{ id: string }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: {
      Authorization: 'Bearer sk_test_sandbox_seed',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: encodeForm(params),
  });
  const body = (await response.json()) as { id: string; error?: { message: string } };
  if (!response.ok) throw new Error(`seed template ${path}: ${body.error?.message}`);
  return body;
}

/** The two templates, made through the API (their own events go out as for any new account). */
async function templates(sandbox: StripeSandbox): Promise<{ individual: string; company: string }> {
  const individual = await call(sandbox, '/v1/accounts', {
    ...COMMON,
    business_type: 'individual',
    individual: { first_name: 'Seed', last_name: 'Seller', email: 'seed@example.com', ...PERSON },
  });
  const company = await call(sandbox, '/v1/accounts', {
    ...COMMON,
    business_type: 'company',
    company: {
      name: 'Seed Company',
      tax_id: '000000000',
      phone: '0000000000',
      address: ADDRESS,
      owners_provided: true,
      directors_provided: true,
      executives_provided: true,
    },
  });
  await call(sandbox, `/v1/accounts/${company.id}/persons`, {
    first_name: 'Rita',
    last_name: 'Representative',
    email: 'rita@example.com',
    ...PERSON,
    relationship: { representative: true, executive: true, title: 'CEO' },
  });
  await call(sandbox, `/v1/accounts/${company.id}/persons`, {
    first_name: 'Otto',
    last_name: 'Owner',
    email: 'otto@example.com',
    ...PERSON,
    relationship: { owner: true, director: true, percent_ownership: 60 },
  });
  return { individual: individual.id, company: company.id };
}

/** Adds `options.accounts` accounts, copies of the templates; answers what was added. */
export async function seedAccounts(
  sandbox: StripeSandbox,
  options: SeedOptions,
): Promise<SeedResult> {
  const { accounts } = options;
  const companyPercent = options.companyPercent ?? 20;
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > SEED_MAX_ACCOUNTS)
    throw invalidRequest(`accounts must be an integer from 1 to ${SEED_MAX_ACCOUNTS}`, 'accounts');
  if (!Number.isInteger(companyPercent) || companyPercent < 0 || companyPercent > 100)
    throw invalidRequest('companyPercent must be an integer from 0 to 100', 'companyPercent');
  const store = sandbox.store;
  const ids = await templates(sandbox);
  const template = (id: string) => ({
    account: store.get<Record<string, unknown>>(id)!,
    externals: store.listScoped<Record<string, unknown>>('external_account', id),
    persons: store.listScoped<Record<string, unknown>>('person', id),
  });
  const individual = template(ids.individual);
  const company = template(ids.company);
  const result: SeedResult = {
    object: 'sandbox_seed',
    accounts: 0,
    companies: 0,
    persons: 0,
    external_accounts: 0,
  };
  const serial = Number(store.getMeta<number>('seedSerial') ?? 0);
  store.batch(() => {
    for (let i = 0; i < accounts; i += 1) {
      const isCompany = (i * companyPercent) % 100 < companyPercent && companyPercent > 0;
      const source = isCompany ? company : individual;
      const id = newId('acct');
      const data = structuredClone(source.account.data);
      data.id = id;
      data.created = sandbox.clock.now();
      data.metadata = { user_id: `seed-user-${serial + i + 1}` };
      if (data.individual_person_id) data.individual_person_id = newId('person');
      store.insert('account', null, id, data);
      copyChildren(source.externals, 'ba', id, (copy) =>
        store.insert('external_account', id, copy.id as string, copy),
      );
      copyChildren(source.persons, 'person', id, (copy) =>
        store.insert('person', id, copy.id as string, copy),
      );
      result.accounts += 1;
      result.external_accounts += source.externals.length;
      if (isCompany) {
        result.companies += 1;
        result.persons += source.persons.length;
      }
    }
    store.setMeta('seedSerial', serial + accounts);
  });
  sandbox.log(`seeded ${result.accounts} account(s) (${result.companies} companies)`);
  return result;
}

function copyChildren(
  children: StoredObject<Record<string, unknown>>[],
  prefix: string,
  account: string,
  insert: (copy: Record<string, unknown>) => void,
): void {
  // Oldest first, as they were created.
  for (const child of [...children].reverse()) {
    const copy = structuredClone(child.data);
    copy.id = newId(prefix);
    copy.account = account;
    insert(copy);
  }
}

/** `POST /_sandbox/seed` with `{ "accounts": N, "companyPercent"?: P }` (JSON). */
export function seedFromBody(sandbox: StripeSandbox, raw: Buffer): Promise<SeedResult> {
  let body: { accounts?: unknown; companyPercent?: unknown };
  try {
    body = JSON.parse(raw.toString('utf8') || '{}') as typeof body;
  } catch {
    throw invalidRequest('The body must be JSON: { "accounts": N, "companyPercent"?: P }');
  }
  return seedAccounts(sandbox, {
    accounts: Number(body.accounts),
    companyPercent: body.companyPercent === undefined ? undefined : Number(body.companyPercent),
  });
}
