import type { DataSourceOptions } from 'typeorm';
import { stripeConnectEntities, stripeConnectMigrations } from '../stripe-connect/index.js';
import type { DatabaseConfig } from '../config/app-config.js';
import { createPgliteDriver } from './pglite-driver.js';

/**
 * One code path for both databases: TypeORM's postgres driver, over `pg` for a real PostgreSQL or over the
 * one-session PGlite pool for the embedded default. Migrations only, never `synchronize`.
 */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: stripeConnectEntities,
    migrations: stripeConnectMigrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite; no uuid-ossp needed.
    uuidExtension: 'pgcrypto' as const,
  };
  if (database.kind === 'postgres') {
    return { ...common, url: database.url, extra: { max: 10 } };
  }
  return { ...common, driver: createPgliteDriver({ dataDir: database.dataDir }) };
}

export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'pglite') return `PGlite (embedded) in ${database.dataDir}`;
  const url = new URL(database.url);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
