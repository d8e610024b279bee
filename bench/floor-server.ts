/**
 * The floor: the least a correct receiver does, written by hand for the comparison. node:http, the
 * signature verified with the stripe SDK, then in one transaction on a `pg` pool of 10: the event inserted
 * once (`stripe_events`), the object upserted into the same mirror table the service writes, guarded so an
 * older snapshot never overwrites a newer one, one commit. No framework, no listeners, no nested lists.
 * Run by the bench as a child process (`BENCH_DATABASE_URL`, `BENCH_WEBHOOK_SECRET`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import Stripe from 'stripe';
import { accountValues } from '../src/stripe-connect/accounts/account-mirror.js';
import { serveBenchChild } from './bench-child.js';

const INSERT_EVENT = `INSERT INTO stripe_events
  (id, type, account_id, livemode, api_version, stripe_created_at, payload, status, processed_at)
  VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7, 'processed', now())
  ON CONFLICT (id) DO NOTHING`;

const UPSERT_ACCOUNT = `INSERT INTO stripe_accounts
  (id, livemode, raw, snapshot_at, type, country, default_currency, email, business_type, business_profile,
   charges_enabled, payouts_enabled, details_submitted, requirements, future_requirements,
   verification_due_by, verification_fields_needed, disabled_reason, capabilities, tos_acceptance, metadata)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
  ON CONFLICT (id) DO UPDATE SET
    livemode = EXCLUDED.livemode, raw = EXCLUDED.raw, snapshot_at = EXCLUDED.snapshot_at,
    type = EXCLUDED.type, country = EXCLUDED.country, default_currency = EXCLUDED.default_currency,
    email = EXCLUDED.email, business_type = EXCLUDED.business_type,
    business_profile = EXCLUDED.business_profile, charges_enabled = EXCLUDED.charges_enabled,
    payouts_enabled = EXCLUDED.payouts_enabled, details_submitted = EXCLUDED.details_submitted,
    requirements = EXCLUDED.requirements, future_requirements = EXCLUDED.future_requirements,
    verification_due_by = EXCLUDED.verification_due_by,
    verification_fields_needed = EXCLUDED.verification_fields_needed,
    disabled_reason = EXCLUDED.disabled_reason, capabilities = EXCLUDED.capabilities,
    tos_acceptance = EXCLUDED.tos_acceptance, metadata = EXCLUDED.metadata, updated_at = now()
  WHERE stripe_accounts.snapshot_at IS NULL OR stripe_accounts.snapshot_at <= EXCLUDED.snapshot_at`;

const UPSERT_CUSTOMER = `INSERT INTO stripe_customers
  (id, livemode, raw, snapshot_at, account_id, email, currency, deleted_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
  ON CONFLICT (id) DO UPDATE SET
    livemode = EXCLUDED.livemode, raw = EXCLUDED.raw, snapshot_at = EXCLUDED.snapshot_at,
    email = EXCLUDED.email, currency = EXCLUDED.currency, updated_at = now()
  WHERE stripe_customers.snapshot_at IS NULL OR stripe_customers.snapshot_at <= EXCLUDED.snapshot_at`;

function objectWrite(event: Stripe.Event): { text: string; values: unknown[] } | null {
  const at = new Date(event.created * 1000);
  if (event.type === 'account.updated') {
    const v = accountValues(event.data.object, at);
    return {
      text: UPSERT_ACCOUNT,
      values: [
        v.id,
        v.livemode,
        v.raw,
        at,
        v.type,
        v.country,
        v.defaultCurrency,
        v.email,
        v.businessType,
        v.businessProfile,
        v.chargesEnabled,
        v.payoutsEnabled,
        v.detailsSubmitted,
        v.requirements,
        v.futureRequirements,
        v.verificationDueBy,
        JSON.stringify(v.verificationFieldsNeeded),
        v.disabledReason,
        v.capabilities,
        v.tosAcceptance,
        v.metadata,
      ],
    };
  }
  if (event.type === 'customer.updated' || event.type === 'customer.created') {
    const customer = event.data.object;
    return {
      text: UPSERT_CUSTOMER,
      values: [
        customer.id,
        customer.livemode,
        customer,
        at,
        event.account ?? null,
        customer.email,
        customer.currency,
      ],
    };
  }
  return null;
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function answer(response: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function store(pool: pg.Pool, event: Stripe.Event): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(INSERT_EVENT, [
      event.id,
      event.type,
      event.account ?? null,
      event.livemode,
      event.api_version ?? null,
      event.created,
      event,
    ]);
    const write = objectWrite(event);
    if (write) await client.query(write.text, write.values);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function start(): Promise<{ port: number; close: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  const secret = process.env.BENCH_WEBHOOK_SECRET;
  if (!url || !secret) throw new Error('BENCH_DATABASE_URL and BENCH_WEBHOOK_SECRET are required');
  const stripe = new Stripe('sk_test_bench_floor', { telemetry: false });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const server = http.createServer((request, response) => {
    void (async () => {
      if (request.method !== 'POST') return answer(response, 405, { error: 'POST only' });
      const body = await readBody(request);
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(
          body,
          request.headers['stripe-signature'] ?? '',
          secret,
          300,
        );
      } catch {
        return answer(response, 400, { error: 'No valid signature' });
      }
      try {
        await store(pool, event);
        answer(response, 200, { received: true, id: event.id });
      } catch (error) {
        answer(response, 500, { error: error instanceof Error ? error.message : 'failed' });
      }
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

await serveBenchChild(start);
