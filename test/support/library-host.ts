/**
 * A host app of a test's own, as a user's app imports the library: TypeORM on a fresh test database (migrated),
 * the event emitter, and `StripeConnectModule.forRoot(options)`; nothing of this repository's host app.
 */
import { Module, type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { inject } from 'vitest';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import {
  StripeConnectModule,
  type StripeConnectModuleOptions,
} from '../../src/stripe-connect/index.js';
import { createTestDatabase } from './test-database.js';

/** The Nest application of such a host (not yet initialised or listening). */
export async function createLibraryHost(
  options: StripeConnectModuleOptions,
  appOptions: NestApplicationOptions = {},
): Promise<INestApplication> {
  const database = await createTestDatabase(inject('testDatabaseRun'));
  @Module({
    imports: [
      TypeOrmModule.forRoot({ ...buildDataSourceOptions(database), migrationsRun: true }),
      EventEmitterModule.forRoot({ wildcard: true }),
      StripeConnectModule.forRoot(options),
    ],
  })
  class LibraryHostModule {}
  const moduleRef = await Test.createTestingModule({ imports: [LibraryHostModule] }).compile();
  return moduleRef.createNestApplication(appOptions);
}
