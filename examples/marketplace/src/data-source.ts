import type { DataSourceOptions } from 'typeorm';
import { stripeConnectEntities, stripeConnectMigrations } from 'nest-stripe-connect';

/**
 * The marketplace's own DataSource on PostgreSQL. Its entities and migrations are the package's (a real app
 * adds its own beside them); migrations run at boot, `synchronize` never.
 */
export function marketplaceDataSource(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [...stripeConnectEntities],
    migrations: [...stripeConnectMigrations],
    migrationsRun: true,
    synchronize: false,
    uuidExtension: 'pgcrypto',
  };
}
