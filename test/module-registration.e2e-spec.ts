import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import {
  Account,
  STRIPE_CLIENT,
  STRIPE_CONNECT_OPTIONS,
  StripeConnectConfigError,
  StripeConnectModule,
  StripeUnavailableError,
  type ResolvedStripeConnectOptions,
  type StripeConnectModuleOptions,
} from '../src/stripe-connect/index.js';
import { createTestDatabase } from './support/test-database.js';

const options: StripeConnectModuleOptions = {
  secretKey: 'sk_test_registration',
  apiBase: 'http://127.0.0.1:12111',
  webhookSecrets: ['whsec_platform'],
  connectWebhookSecrets: ['whsec_connect'],
  maxNetworkRetries: 3,
};

@Injectable()
class StripeOptionsFactory {
  createStripeConnectOptions(): StripeConnectModuleOptions {
    return options;
  }
}

@Module({ providers: [StripeOptionsFactory], exports: [StripeOptionsFactory] })
class OptionsFactoryModule {}

describe('StripeConnectModule registration', () => {
  let database: DatabaseConfig;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(inject('testDatabaseRun'));
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  /** Failed compiles cannot be closed: they get a database of their own so nothing else shares it. */
  const throwaway = () => createTestDatabase(inject('testDatabaseRun'));

  async function compile(
    stripeConnect: DynamicModule,
    db: DatabaseConfig = database,
    emitter = EventEmitterModule.forRoot({ wildcard: true }),
  ) {
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(buildDataSourceOptions(db)), emitter, stripeConnect],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  function expectConfiguredClient(ref: TestingModule): void {
    const resolved = ref.get<ResolvedStripeConnectOptions>(STRIPE_CONNECT_OPTIONS);
    expect(resolved.stripe).toMatchObject({
      available: true,
      secretKey: 'sk_test_registration',
      webhookSecrets: ['whsec_platform'],
      connectWebhookSecrets: ['whsec_connect'],
      maxNetworkRetries: 3,
    });
    const stripe = ref.get<Stripe>(STRIPE_CLIENT);
    expect(stripe).toBeInstanceOf(Stripe);
    expect(stripe.getApiField('host')).toBe('127.0.0.1');
    expect(stripe.getApiField('port')).toBe(12111);
    expect(stripe.getApiField('protocol')).toBe('http');
    expect(stripe.getMaxNetworkRetries()).toBe(3);
    // The library's repositories resolve against the host's DataSource.
    expect(ref.get(DataSource).getRepository(Account).metadata.tableName).toBe('stripe_accounts');
  }

  it('registers with forRoot', async () => {
    expectConfiguredClient(await compile(StripeConnectModule.forRoot(options)));
  });

  it('registers with forRootAsync and useFactory (with inject)', async () => {
    const ref = await compile(
      StripeConnectModule.forRootAsync({
        imports: [OptionsFactoryModule],
        inject: [StripeOptionsFactory],
        useFactory: async (factory: StripeOptionsFactory) => factory.createStripeConnectOptions(),
      }),
    );
    expectConfiguredClient(ref);
  });

  it('registers with forRootAsync and useClass', async () => {
    expectConfiguredClient(
      await compile(StripeConnectModule.forRootAsync({ useClass: StripeOptionsFactory })),
    );
  });

  it('registers with forRootAsync and useExisting', async () => {
    const ref = await compile(
      StripeConnectModule.forRootAsync({
        imports: [OptionsFactoryModule],
        useExisting: StripeOptionsFactory,
      }),
    );
    expectConfiguredClient(ref);
  });

  it('defaults the API base to api.stripe.com over https', async () => {
    const ref = await compile(StripeConnectModule.forRoot({ ...options, apiBase: undefined }));
    const stripe = ref.get<Stripe>(STRIPE_CLIENT);
    expect(stripe.getApiField('host')).toBe('api.stripe.com');
    expect(stripe.getApiField('port')).toBe(443);
    expect(stripe.getApiField('protocol')).toBe('https');
  });

  it('refuses to start without an API key, naming the option', async () => {
    const failure = compile(
      StripeConnectModule.forRoot({ ...options, secretKey: undefined }),
      await throwaway(),
    );
    await expect(failure).rejects.toThrow(StripeConnectConfigError);
    await expect(failure).rejects.toThrow(/secretKey is required/);
  });

  it('refuses to start without webhook secrets, naming the option', async () => {
    await expect(
      compile(
        StripeConnectModule.forRootAsync({
          useFactory: () => ({ ...options, connectWebhookSecrets: [] }),
        }),
        await throwaway(),
      ),
    ).rejects.toThrow(/connectWebhookSecrets must be a non-empty list/);
  });

  it('starts explicitly without Stripe; the client then fails with the reason', async () => {
    const ref = await compile(
      StripeConnectModule.forRoot({ withoutStripe: { reason: 'no key in this environment' } }),
    );
    const stripe = ref.get<Stripe>(STRIPE_CLIENT);
    expect(() => stripe.accounts).toThrow(StripeUnavailableError);
    expect(() => stripe.accounts).toThrow('no key in this environment');
  });

  it('refuses to start without a wildcard event emitter, saying what to import', async () => {
    await expect(
      compile(
        StripeConnectModule.forRoot(options),
        await throwaway(),
        EventEmitterModule.forRoot({ wildcard: false }),
      ),
    ).rejects.toThrow(/EventEmitterModule.forRoot\(\{ wildcard: true \}\)/);
  });
});
