/**
 * The deliveries of the webhook bench: `account.updated` or `customer.updated` events spread over N objects
 * with V versions each (snapshots whose Stripe times increase with the version), each object's versions in a
 * burst at a random point of the run, a few of them out of order. The objects are real Stripe shapes: one account and one customer made by the sandbox through the
 * SDK serve as templates, and each version changes what a real update changes (email, metadata,
 * requirements, balance). Same seed, same sequence.
 */
import Stripe from 'stripe';
import { SANDBOX_API_VERSION, StripeSandbox } from '../src/stripe-sandbox/index.js';

export type BenchEventType = 'account.updated' | 'customer.updated';

export interface Templates {
  account: Stripe.Account;
  customer: Stripe.Customer;
}

export interface Delivery {
  eventId: string;
  objectId: string;
  /** The connected account the event belongs to (`event.account`). */
  accountId: string;
  version: number;
  payload: string;
}

export interface DeliveryPlan {
  type: BenchEventType;
  /** Every delivery, warm-up first. */
  deliveries: Delivery[];
  /** Accounts that must be mirrored before customer events are sent (foreign keys), one per object or one hot one. */
  accountsToSeed: string[];
  /** Object id → Stripe time (unix seconds) of its newest version. */
  newest: Map<string, number>;
  /** Deliveries that arrive after a newer version of their object. */
  outOfOrder: number;
}

/** One custom account (with a bank account) and one of its customers, rendered by the sandbox. */
export async function makeTemplates(): Promise<Templates> {
  const sandbox = await StripeSandbox.start();
  try {
    const stripe = new Stripe('sk_test_bench_templates', {
      host: '127.0.0.1',
      port: sandbox.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      email: 'seller@example.com',
      business_type: 'individual',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      external_account: 'btok_us',
      metadata: { shop: 'bench' },
    });
    const customer = await stripe.customers.create(
      {
        email: 'buyer@example.com',
        name: 'Bench Buyer',
        description: 'A customer of the webhook bench',
        metadata: { segment: 'bench' },
      },
      { stripeAccount: account.id },
    );
    return { account, customer };
  } finally {
    await sandbox.close();
  }
}

/** A small seeded generator (mulberry32), so every run sends the same sequence. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function accountVersion(
  template: Stripe.Account,
  n: number,
  v: number,
  at: number,
): Stripe.Account {
  const id = `acct_bench${String(n).padStart(6, '0')}`;
  const due = ['individual.id_number', 'individual.verification.document', 'external_account'];
  const currentlyDue = due.slice(Math.min(due.length, v - 1));
  const bank = template.external_accounts?.data[0] as Stripe.BankAccount | undefined;
  return {
    ...template,
    id,
    email: `seller${n}+v${v}@example.com`,
    business_profile: {
      ...template.business_profile,
      name: `Shop ${n}`,
      url: `https://shop${n}.example.com`,
    } as Stripe.Account.BusinessProfile,
    charges_enabled: currentlyDue.length === 0,
    payouts_enabled: currentlyDue.length === 0,
    details_submitted: v > 1,
    metadata: { ...template.metadata, bench_object: String(n), bench_version: String(v) },
    requirements: {
      ...template.requirements,
      currently_due: currentlyDue,
      eventually_due: currentlyDue,
      past_due: [],
      current_deadline: currentlyDue.length ? at + 14 * 86400 : null,
    } as Stripe.Account.Requirements,
    external_accounts: {
      object: 'list',
      has_more: false,
      url: `/v1/accounts/${id}/external_accounts`,
      data: bank ? [{ ...bank, id: `ba_bench${String(n).padStart(6, '0')}`, account: id }] : [],
    },
  };
}

function customerVersion(
  template: Stripe.Customer,
  n: number,
  v: number,
  accountId: string,
): Stripe.Customer {
  return {
    ...template,
    id: `cus_bench${String(n).padStart(6, '0')}`,
    email: `buyer${n}+v${v}@example.com`,
    name: `Buyer ${n}`,
    balance: -100 * v,
    metadata: {
      ...template.metadata,
      bench_object: String(n),
      bench_version: String(v),
      accountId,
    },
  };
}

/**
 * `objects` × `versions` deliveries of `type`. Each object's events belong to its own connected account
 * (`hot: false`), or every event to one hot account (`hot: true`, customers only: an account's own events
 * cannot share an account).
 */
export function planDeliveries(
  templates: Templates,
  options: { type: BenchEventType; objects: number; versions: number; hot: boolean; seed?: number },
): DeliveryPlan {
  const { type, objects, versions, hot } = options;
  const base = Math.floor(Date.now() / 1000) - 86400;
  // Delivery order: each object's versions come as a burst (about GAP deliveries apart) starting at a random
  // point of the run, with jitter, so about 2% arrive after a newer version of their object and some versions
  // of one object are in flight together, as Stripe's deliveries do.
  const GAP = 40;
  const next = random(options.seed ?? 11);
  const keyed: { n: number; v: number; key: number }[] = [];
  for (let n = 1; n <= objects; n += 1) {
    const start = next() * objects * versions;
    for (let v = 1; v <= versions; v += 1) {
      keyed.push({ n, v, key: start + v * GAP + next() * GAP * 1.25 });
    }
  }
  const pairs = keyed.sort((a, b) => a.key - b.key).map(({ n, v }): [number, number] => [n, v]);
  const hotAccount = 'acct_benchhot';
  const newest = new Map<string, number>();
  const seeded = new Set<string>();
  const deliveries = pairs.map(([n, v]): Delivery => {
    // Distinct seconds per version of one object (Stripe's `created` has one-second resolution).
    const created = base + v * 120 + (n % 60);
    let object: Stripe.Account | Stripe.Customer;
    let accountId: string;
    if (type === 'account.updated') {
      object = accountVersion(templates.account, n, v, created);
      accountId = object.id;
    } else {
      accountId = hot ? hotAccount : `acct_bench${String(n).padStart(6, '0')}`;
      seeded.add(accountId);
      object = customerVersion(templates.customer, n, v, accountId);
    }
    if (v === versions) newest.set(object.id, created);
    const eventId = `evt_bench_${type === 'account.updated' ? 'a' : 'c'}${n}_${v}`;
    const event = {
      id: eventId,
      object: 'event',
      account: accountId,
      api_version: SANDBOX_API_VERSION,
      created,
      data: {
        object,
        previous_attributes: {
          email: v > 1 ? object.email?.replace(`+v${v}`, `+v${v - 1}`) : null,
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    return { eventId, objectId: object.id, accountId, version: v, payload: JSON.stringify(event) };
  });
  const highest = new Map<string, number>();
  let outOfOrder = 0;
  for (const delivery of deliveries) {
    if ((highest.get(delivery.objectId) ?? 0) > delivery.version) outOfOrder += 1;
    else highest.set(delivery.objectId, delivery.version);
  }
  return { type, deliveries, accountsToSeed: [...seeded].sort(), newest, outOfOrder };
}

/** `account.updated` deliveries that mirror the given accounts (one version each), for seeding. */
export function seedDeliveries(templates: Templates, accountIds: string[]): Delivery[] {
  const created = Math.floor(Date.now() / 1000) - 2 * 86400;
  return accountIds.map((id, i) => {
    const account = { ...accountVersion(templates.account, i + 1, 1, created), id };
    account.external_accounts = { ...account.external_accounts!, data: [] };
    const event = {
      id: `evt_bench_seed_${id}`,
      object: 'event',
      account: id,
      api_version: SANDBOX_API_VERSION,
      created,
      data: { object: account },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'account.updated',
    };
    return {
      eventId: event.id,
      objectId: id,
      accountId: id,
      version: 1,
      payload: JSON.stringify(event),
    };
  });
}
