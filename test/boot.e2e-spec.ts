/** The real entry point (`bootstrap(env, { logLevels: ['error'] })`, what `npm start` runs) on the embedded defaults. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { bootstrap } from '../src/bootstrap.js';
import { ConfigError } from '../src/config/app-config.js';
import type Stripe from 'stripe';
import { Account, STRIPE_CLIENT } from '../src/stripe-connect/index.js';

describe('bootstrap', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('refuses to start on a bad configuration, naming every variable', async () => {
    const failure = bootstrap(
      { STRIPE_SECRET_KEY: 'sk_test_x', PORT: '-5' },
      { logLevels: ['error'] },
    );
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(
      /PORT must be[\s\S]*STRIPE_WEBHOOK_SECRET is required[\s\S]*STRIPE_CONNECT_WEBHOOK_SECRET is required[\s\S]*AUTH_JWT_SECRET is required/,
    );
  });

  it('starts with no database URL and no Stripe key on PGlite and the embedded sandbox, keeping both across a restart', async () => {
    // A fresh data folder, as on a first `npm start`: the first boot creates and migrates it.
    const dataDir = join(inject('testDatabaseRun').root, `boot-${process.pid}`);
    dirs.push(dataDir);
    const env = { PGLITE_DIR: dataDir, PORT: '0' };

    const first = await bootstrap(env, { logLevels: ['error'] });
    let customerId: string;
    try {
      expect(first.config.database).toEqual({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
      expect(first.config.stripe).toMatchObject({
        kind: 'sandbox',
        stateFile: join(dataDir, 'stripe-sandbox.jsonl'),
      });
      await request(first.app.getHttpServer()).get('/health').expect(200);
      await first.app.get(DataSource).getRepository(Account).insert({
        id: 'acct_survives_restart',
        type: 'custom',
        userId: 'seller-restart',
      });
      // The library's Stripe client talks to the in-process sandbox.
      const stripe = first.app.get<Stripe>(STRIPE_CLIENT);
      expect(stripe.getApiField('host')).toBe('127.0.0.1');
      customerId = (await stripe.customers.create({ email: 'kept@example.com' })).id;
    } finally {
      await first.app.close();
    }

    const second = await bootstrap(env, { logLevels: ['error'] });
    try {
      await request(second.app.getHttpServer()).get('/health').expect(200);
      const kept = await second.app
        .get(DataSource)
        .getRepository(Account)
        .findOneBy({ id: 'acct_survives_restart' });
      expect(kept?.userId).toBe('seller-restart');
      const stripe = second.app.get<Stripe>(STRIPE_CLIENT);
      await expect(stripe.customers.retrieve(customerId)).resolves.toMatchObject({
        email: 'kept@example.com',
      });
    } finally {
      await second.app.close();
    }
  });
});
