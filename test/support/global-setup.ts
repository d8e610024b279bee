import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  databaseUrlWithName,
  migrate,
  TEST_DATA_ROOT,
  withAdminClient,
  type TestDatabaseRun,
} from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseRun: TestDatabaseRun;
  }
}

/** Migrates one template database for the whole run; every test file copies it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const adminUrl = process.env.DATABASE_URL?.trim() || undefined;
  const root = join(TEST_DATA_ROOT, runId);

  if (adminUrl) {
    const template = `nsc_tpl_${runId}`;
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${template}"`));
    await migrate({ kind: 'postgres', url: databaseUrlWithName(adminUrl, template) });
    project.provide('testDatabaseRun', { runId, adminUrl, template, root });
    return async () => {
      await withAdminClient(adminUrl, async (client) => {
        const { rows } = await client.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
          [`nsc\\_t\\_${runId}\\_%`, template],
        );
        for (const { datname } of rows) {
          await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        }
      });
    };
  }

  const template = join(root, 'template');
  await migrate({ kind: 'pglite', dataDir: template });
  project.provide('testDatabaseRun', { runId, template, root });
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
