/**
 * The webhook path under load, over real HTTP on 127.0.0.1: signed `account.updated` deliveries to the app
 * (verify, store once, sync, listeners, mark processed). One delivery at a time for the median latency, then
 * 32 in flight for throughput. PostgreSQL when DATABASE_URL is set (a throwaway database is created beside
 * it), PGlite in a temporary folder otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import Stripe from 'stripe';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import type { AppConfig, DatabaseConfig } from '../src/config/app-config.js';
import { StripeSandbox } from '../src/stripe-sandbox/index.js';

const SEQUENTIAL = Number(process.env.BENCH_WEBHOOKS_SEQUENTIAL ?? 200);
const CONCURRENT = Number(process.env.BENCH_WEBHOOKS_CONCURRENT ?? 2000);
const IN_FLIGHT = 32;
const SECRET = 'whsec_bench_connect';

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function benchWebhooks(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nsc-bench-webhooks-'));
  const adminUrl = process.env.DATABASE_URL;
  const dbName = `nsc_bench_${Date.now()}`;
  let database: DatabaseConfig;
  if (adminUrl) {
    await adminQuery(adminUrl, `CREATE DATABASE "${dbName}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    database = { kind: 'postgres', url: url.toString() };
  } else {
    database = { kind: 'pglite', dataDir: join(dir, 'pglite') };
  }
  const sandbox = await StripeSandbox.start();
  const config: AppConfig = {
    port: 0,
    trustedProxies: [],
    onboarding: { publicUrl: 'http://127.0.0.1' },
    dataDir: dir,
    database,
    stripe: {
      kind: 'stripe',
      secretKey: 'sk_test_bench',
      apiBase: sandbox.url,
      webhookSecrets: ['whsec_bench_platform'],
      connectWebhookSecrets: [SECRET],
    },
    auth: { jwtSecret: 'bench-secret-bench-secret-bench-secret', developmentSecret: false },
  };
  const app = await NestFactory.create(AppModule.forRoot(config), { rawBody: true, logger: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}/stripe/webhooks/connect`;
  const stripe = new Stripe('sk_test_bench', {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    telemetry: false,
  });
  try {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      external_account: 'btok_us',
    });
    const base = Math.floor(Date.now() / 1000);
    let n = 0;
    const send = async (): Promise<number> => {
      n += 1;
      const event = {
        id: `evt_bench_${n}_${base}`,
        object: 'event',
        account: account.id,
        api_version: '2026-10-28.endive',
        created: base + n,
        data: { object: { ...account, email: `v${n}@example.com` } },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'account.updated',
      };
      const payload = JSON.stringify(event);
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      const started = performance.now();
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
        body: payload,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i += 1) await send();
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i += 1) latencies.push(await send());
    latencies.sort((a, b) => a - b);
    const label = database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    console.log(
      `webhooks on ${label.padEnd(10)} one at a time: median ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)].toFixed(1)} ms (${SEQUENTIAL} deliveries)`,
    );
    let remaining = CONCURRENT;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (remaining > 0) {
          remaining -= 1;
          await send();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `webhooks on ${label.padEnd(10)} ${IN_FLIGHT} in flight: ${(CONCURRENT / seconds).toFixed(0)} events/s (${CONCURRENT} deliveries)`,
    );
  } finally {
    await app.close();
    await sandbox.close();
    if (adminUrl) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  }
}
