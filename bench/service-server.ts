/**
 * This service as the bench measures it: the real host app (AppModule, the global pipe and guard, the
 * library's webhook path in its default inline mode, Nest's logger writing one line per webhook), booted as
 * in production and listening on 127.0.0.1. Run by the bench as a child process: `BENCH_DATABASE_URL` (a
 * PostgreSQL database) or `BENCH_PGLITE_DIR` (embedded), `BENCH_WEBHOOK_SECRET` (the Connect endpoint's
 * secret), `BENCH_STRIPE_API_BASE` (where Stripe calls go; the bench's data needs none).
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import type { AppConfig, DatabaseConfig } from '../src/config/app-config.js';
import { serveBenchChild } from './bench-child.js';

async function start(): Promise<{ port: number; close: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  const pgliteDir = process.env.BENCH_PGLITE_DIR;
  const secret = process.env.BENCH_WEBHOOK_SECRET;
  if ((!url && !pgliteDir) || !secret) {
    throw new Error(
      'BENCH_DATABASE_URL or BENCH_PGLITE_DIR, and BENCH_WEBHOOK_SECRET, are required',
    );
  }
  const database: DatabaseConfig = url
    ? { kind: 'postgres', url }
    : { kind: 'pglite', dataDir: pgliteDir! };
  const config: AppConfig = {
    port: 0,
    trustedProxies: [],
    onboarding: { publicUrl: 'http://127.0.0.1' },
    dataDir: join(pgliteDir ?? tmpdir(), 'app'),
    database,
    stripe: {
      kind: 'stripe',
      secretKey: 'sk_test_bench_service',
      apiBase: process.env.BENCH_STRIPE_API_BASE ?? 'http://127.0.0.1:9',
      webhookSecrets: ['whsec_bench_platform_endpoint'],
      connectWebhookSecrets: [secret],
    },
    auth: { jwtSecret: 'bench-jwt-secret-bench-jwt-secret-0123', developmentSecret: false },
    // queued-server.ts runs this file in queued mode.
    ...(process.env.BENCH_WEBHOOK_PROCESSING === 'queued'
      ? {
          webhookProcessing: {
            mode: 'queued' as const,
            // The library's defaults unless set.
            ...(process.env.BENCH_QUEUED_BATCH
              ? { batchSize: Number(process.env.BENCH_QUEUED_BATCH) }
              : {}),
            ...(process.env.BENCH_QUEUED_CONCURRENCY
              ? { concurrency: Number(process.env.BENCH_QUEUED_CONCURRENCY) }
              : {}),
          },
        }
      : {}),
  };
  const app = await NestFactory.create(AppModule.forRoot(config), { rawBody: true });
  configureApp(app, { trustedProxies: [] });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { port, close: () => app.close() };
}

await serveBenchChild(start);
