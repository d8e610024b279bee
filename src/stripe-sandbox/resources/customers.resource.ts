import type { FormObject } from '../form-codec.js';
import { invalidParam, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { matchesRange, paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import {
  applyMetadata,
  mergeHash,
  optionalHash,
  optionalInteger,
  optionalString,
  optionalStringArray,
  PAGE_PARAMS,
} from './params.js';
import { emitFrom, emitIfChanged } from './event-emission.js';
import type { PaymentMethodData } from './payment-method-render.js';

type Customer = Record<string, unknown> & {
  id: string;
  metadata: Record<string, string>;
  deleted?: boolean;
};

const WRITABLE = [
  'address',
  'balance',
  'description',
  'email',
  'invoice_prefix',
  'invoice_settings',
  'metadata',
  'name',
  'phone',
  'preferred_locales',
  'shipping',
  'tax_exempt',
];

function applyFields(customer: Customer, params: FormObject): Customer {
  const next: Customer = { ...customer, metadata: applyMetadata(customer.metadata, params) };
  for (const name of ['description', 'email', 'name', 'phone', 'invoice_prefix'] as const) {
    const value = optionalString(params, name);
    if (value !== undefined) next[name] = value === '' ? null : value;
  }
  if (
    typeof next.email === 'string' &&
    next.email &&
    !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(next.email)
  ) {
    throw invalidParam('email', 'Invalid email address: ' + next.email, 'email_invalid');
  }
  const balance = optionalInteger(params, 'balance');
  if (balance !== undefined) next.balance = balance;
  const taxExempt = optionalString(params, 'tax_exempt');
  if (taxExempt !== undefined) {
    if (!['none', 'exempt', 'reverse'].includes(taxExempt)) {
      throw invalidParam(
        'tax_exempt',
        'Invalid tax_exempt: must be one of none, exempt, or reverse',
      );
    }
    next.tax_exempt = taxExempt;
  }
  for (const name of ['address', 'shipping'] as const) {
    const hash = optionalHash(params, name);
    if (hash !== undefined) next[name] = Object.keys(hash).length ? mergeHash(null, hash) : null;
  }
  const invoiceSettings = optionalHash(params, 'invoice_settings');
  if (invoiceSettings) {
    next.invoice_settings = mergeHash(
      next.invoice_settings as Record<string, unknown>,
      invoiceSettings,
    );
  }
  const locales = optionalStringArray(params, 'preferred_locales');
  if (locales) next.preferred_locales = locales;
  return next;
}

function find(ctx: RequestContext, id: string, param = 'id'): StoredObject<Customer> {
  const stored = ctx.sandbox.store.get<Customer>(id);
  if (!stored || stored.kind !== 'customer' || stored.scope !== ctx.scope)
    throw resourceMissing('customer', id, param);
  return stored;
}

/** A live (not deleted) customer of the caller, named by the parameter `param`. */
export function findCustomer(
  ctx: RequestContext,
  id: string,
  param = 'id',
): StoredObject<Customer> {
  const stored = find(ctx, id, param);
  if (stored.data.deleted) throw resourceMissing('customer', id, param);
  return stored;
}

/**
 * `invoice_settings[default_payment_method]`: a payment method attached to this customer (Stripe refuses
 * any other), or empty to unset it.
 */
function checkDefaultPaymentMethod(ctx: RequestContext, customer: Customer): void {
  const id = (customer.invoice_settings as Record<string, unknown> | null)?.default_payment_method;
  if (id === null || id === undefined) return;
  const stored = typeof id === 'string' ? ctx.sandbox.store.get<PaymentMethodData>(id) : undefined;
  if (!stored || stored.kind !== 'payment_method' || stored.scope !== ctx.scope)
    throw resourceMissing(
      'PaymentMethod',
      typeof id === 'string' ? id : JSON.stringify(id),
      'invoice_settings[default_payment_method]',
    );
  if (stored.data.customer !== customer.id)
    throw invalidParam(
      'invoice_settings[default_payment_method]',
      `The customer does not have a payment method with the ID ${stored.id}. The payment method must be attached to the customer.`,
      'resource_missing',
    );
}

/** A detached payment method stops being its customer's default (with `customer.updated`). */
export function clearDefaultPaymentMethod(
  ctx: RequestContext,
  customerId: string,
  paymentMethod: string,
): void {
  const stored = ctx.sandbox.store.get<Customer>(customerId);
  const settings = stored?.data.invoice_settings as Record<string, unknown> | undefined;
  if (!stored || settings?.default_payment_method !== paymentMethod) return;
  const before = renderCustomer(stored);
  stored.data = { ...stored.data, invoice_settings: { ...settings, default_payment_method: null } };
  ctx.sandbox.store.save(stored);
  emitIfChanged(ctx, 'customer.updated', ctx.scope, before, renderCustomer(stored));
}

function renderCustomer(stored: StoredObject): Record<string, unknown> {
  const customer = stored.data as Customer;
  if (customer.deleted) return { id: customer.id, object: 'customer', deleted: true };
  return { ...customer };
}

function newCustomer(id: string, created: number): Customer {
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

function createCustomer(ctx: RequestContext): Record<string, unknown> {
  const id = newId('cus');
  const customer = applyFields(newCustomer(id, ctx.sandbox.clock.now()), ctx.params);
  // A new customer has no payment method attached yet: Stripe refuses one as its default.
  checkDefaultPaymentMethod(ctx, customer);
  const body = renderCustomer(ctx.sandbox.store.insert('customer', ctx.scope, id, customer));
  emitFrom(ctx, 'customer.created', body, ctx.scope);
  return body;
}

function retrieveCustomer(ctx: RequestContext): Record<string, unknown> {
  return renderCustomer(find(ctx, ctx.pathParams.id));
}

/** A customer that can still change: not deleted. */
function findLive(ctx: RequestContext): StoredObject<Customer> {
  const stored = find(ctx, ctx.pathParams.id);
  if (stored.data.deleted) throw resourceMissing('customer', stored.id);
  return stored;
}

function updateCustomer(ctx: RequestContext): Record<string, unknown> {
  const stored = findLive(ctx);
  const before = renderCustomer(stored);
  const next = applyFields(stored.data, ctx.params);
  checkDefaultPaymentMethod(ctx, next);
  stored.data = next;
  ctx.sandbox.store.save(stored);
  return emitIfChanged(ctx, 'customer.updated', ctx.scope, before, renderCustomer(stored));
}

function deleteCustomer(ctx: RequestContext): Record<string, unknown> {
  const stored = findLive(ctx);
  const last = renderCustomer(stored);
  stored.data = { ...stored.data, deleted: true };
  ctx.sandbox.store.save(stored);
  emitFrom(ctx, 'customer.deleted', last, ctx.scope);
  return renderCustomer(stored);
}

function listCustomers(ctx: RequestContext): unknown {
  const email = optionalString(ctx.params, 'email');
  const items = ctx.sandbox.store.list<Customer>(
    'customer',
    (c) =>
      c.scope === ctx.scope &&
      !c.data.deleted &&
      (email === undefined || c.data.email === email) &&
      matchesRange(c.data.created as number, ctx.params.created, 'created'),
  );
  return paginate(ctx.params, items, renderCustomer, '/v1/customers', 'customer');
}

export function registerCustomers(sandbox: StripeSandbox): void {
  sandbox.renderer('customer', ['cus'], renderCustomer);
  sandbox.route('POST', '/v1/customers', createCustomer, WRITABLE);
  sandbox.route('GET', '/v1/customers/:id', retrieveCustomer);
  sandbox.route('POST', '/v1/customers/:id', updateCustomer, WRITABLE);
  sandbox.route('DELETE', '/v1/customers/:id', deleteCustomer);
  sandbox.route('GET', '/v1/customers', listCustomers, [
    ...PAGE_PARAMS,
    'email',
    'created',
    'test_clock',
  ]);
}
