/**
 * The comparison for `customer.updated`: `@supabase/stripe-sync-engine` behind the smallest node:http
 * receiver (as its own server does: verify and process the delivery, then answer), on a `pg` pool of 10, its
 * schema migrated by its own `runMigrations`. It uses the webhook's data (no Stripe call) and writes
 * `stripe.customers` with its `last_synced_at` guard; it does not store the event. Run by the bench as a child
 * process (`BENCH_DATABASE_URL`, `BENCH_WEBHOOK_SECRET`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type * as SyncEngine from '@supabase/stripe-sync-engine';
import { serveBenchChild } from './bench-child.js';

// Its ESM build resolves its migrations folder through `__dirname`, which ESM lacks: load the CommonJS one.
const { StripeSync, runMigrations } = createRequire(import.meta.url)(
  '@supabase/stripe-sync-engine',
) as typeof SyncEngine;

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function start(): Promise<{ port: number; close: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  const secret = process.env.BENCH_WEBHOOK_SECRET;
  if (!url || !secret) throw new Error('BENCH_DATABASE_URL and BENCH_WEBHOOK_SECRET are required');
  await runMigrations({ databaseUrl: url, schema: 'stripe' });
  const sync = new StripeSync({
    stripeSecretKey: 'sk_test_bench_sync_engine',
    stripeWebhookSecret: secret,
    stripeApiVersion: '2026-10-28.endive',
    poolConfig: { connectionString: url, max: 10 },
  });
  const server = http.createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      let status = 200;
      try {
        await sync.processWebhook(body, String(request.headers['stripe-signature'] ?? ''));
      } catch (error) {
        status = /signature/i.test(error instanceof Error ? error.message : '') ? 400 : 500;
      }
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ received: status === 200 }));
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sync.close();
    },
  };
}

await serveBenchChild(start);
