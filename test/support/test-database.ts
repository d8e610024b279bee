/**
 * Test databases, one per test file so files run in parallel. The global setup migrates a template once
 * per run; each file gets a copy of it: `CREATE DATABASE … TEMPLATE …` on PostgreSQL (when DATABASE_URL is
 * set), a copy of the template's data folder on PGlite (creating a PGlite database costs 5 to 6 s).
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';

export interface TestDatabaseRun {
  /** Unique to this run of the test command. */
  runId: string;
  /** PostgreSQL: the URL tests were given. PGlite: undefined. */
  adminUrl?: string;
  /** PostgreSQL: name of the migrated template database. PGlite: its migrated data folder. */
  template: string;
  /** PGlite: the folder holding every database of this run. */
  root: string;
}

export const TEST_DATA_ROOT = join(process.cwd(), '.test-data');

export function databaseUrlWithName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function withAdminClient<T>(
  adminUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function uniqueName(run: TestDatabaseRun): string {
  return `nsc_t_${run.runId}_${randomBytes(4).toString('hex')}`;
}

/** Runs the library's migrations on a database, then closes it. */
export async function migrate(database: DatabaseConfig): Promise<void> {
  const dataSource = new DataSource({ ...buildDataSourceOptions(database), logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

/**
 * A database of this file's own. `migrated` (default) copies the migrated template; otherwise the database
 * is empty, for tests of the migrations themselves.
 */
export async function createTestDatabase(
  run: TestDatabaseRun,
  { migrated = true }: { migrated?: boolean } = {},
): Promise<DatabaseConfig> {
  const name = uniqueName(run);
  if (run.adminUrl) {
    const template = migrated ? ` TEMPLATE "${run.template}"` : '';
    await withAdminClient(run.adminUrl, (client) =>
      client.query(`CREATE DATABASE "${name}"${template}`),
    );
    return { kind: 'postgres', url: databaseUrlWithName(run.adminUrl, name) };
  }
  const dataDir = join(run.root, name);
  if (migrated) await cp(run.template, dataDir, { recursive: true });
  else await mkdir(run.root, { recursive: true });
  return { kind: 'pglite', dataDir };
}
