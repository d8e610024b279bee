import { DataSource } from 'typeorm';
import { describe, expect, inject, it } from 'vitest';
import { createTestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const TABLES = [
  'stripe_accounts',
  'stripe_application_fees',
  'stripe_charges',
  'stripe_customers',
  'stripe_event_processing_errors',
  'stripe_events',
  'stripe_external_accounts',
  'stripe_payouts',
  'stripe_persons',
  'stripe_rate_limits',
  'stripe_refunds',
  'stripe_sync_cursors',
  'stripe_transfer_reversals',
  'stripe_transfers',
  'stripe_used_states',
  'stripe_user_accounts',
];

describe('migrations', () => {
  it('create every table on an empty database when the app boots', async () => {
    const database = await createTestDatabase(inject('testDatabaseRun'), { migrated: false });
    const t = await createTestApp({ database });
    try {
      const dataSource = t.app.get(DataSource);
      const tables: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_name LIKE 'stripe\\_%' ORDER BY table_name`,
      );
      expect(tables.map((row) => row.table_name)).toEqual(TABLES);
      const applied: { name: string }[] = await dataSource.query(`SELECT name FROM migrations`);
      expect(applied.map((row) => row.name)).toEqual(
        dataSource.migrations.map((migration) => migration.name),
      );
      expect(await dataSource.showMigrations()).toBe(false);

      // Amounts are integer minor units.
      const amountTypes: { data_type: string }[] = await dataSource.query(
        `SELECT DISTINCT data_type FROM information_schema.columns
          WHERE table_name LIKE 'stripe\\_%' AND (column_name = 'amount' OR column_name LIKE 'amount\\_%')`,
      );
      expect(amountTypes).toEqual([{ data_type: 'integer' }]);
    } finally {
      await t.close();
    }
  });
});
