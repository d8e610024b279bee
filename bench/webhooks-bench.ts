/**
 * The webhook path under load (issue 11): the same signed deliveries sent to
 * - the floor (`floor-server.ts`, a hand-written verify + insert + upsert receiver),
 * - this service in its default inline mode (`service-server.ts`, the real app),
 * - `@supabase/stripe-sync-engine` (`customer.updated` only),
 * each a child process, on a fresh PostgreSQL database beside DATABASE_URL (and the service on PGlite too).
 * Each run: accounts seeded when customers need them, a warm-up, then the measured deliveries with
 * `concurrency` in flight. Throughput counts only events whose object ends up in its table afterwards.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { openPglite } from '../src/database/pglite-driver.js';
import type { ChildStats } from './bench-child.js';
import { formatSummary, readProfile, summariseProfile } from './cpu-profile.js';
import { drive, quantile } from './load-generator.js';
import { BackendCpu } from './pg-backends.js';
import { drainQueue } from './queued-drain.js';
import { BenchServer, type ServerKind, type ServerWarnings } from './server-process.js';
import {
  makeTemplates,
  planDeliveries,
  seedDeliveries,
  type BenchEventType,
  type Templates,
} from './webhook-deliveries.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface WebhookBenchOptions {
  /** Measured deliveries per run (after the warm-up). */
  events: number;
  warmup: number;
  concurrency: number;
  /** Versions of each object; objects = (warm-up + events) / versions. */
  versions: number;
  servers: ServerKind[];
  databases: DatabaseKind[];
  types: BenchEventType[];
  /** Also run the customer scenario with every customer on one hot account. */
  hot: boolean;
  /** Repetitions of every run (the spread is printed). */
  runs: number;
  /** Write a CPU profile of each server's measured window into this folder (the profiler adds CPU). */
  profileDir?: string;
  /** PostgreSQL to create the throwaway databases on (`DATABASE_URL`). */
  adminUrl?: string;
}

interface Scenario {
  type: BenchEventType;
  hot: boolean;
  label: string;
}

interface RunResult {
  server: ServerKind;
  database: DatabaseKind;
  scenario: Scenario;
  run: number;
  measured: number;
  answered: number;
  mirrored: number;
  newestObjects: number;
  objects: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: Map<string, number>;
  firstFailure: Map<string, string>;
  stats: ChildStats;
  pgCpuMs: number | null;
  /** Queued mode: seconds the workers took after the last answer to process every stored event. */
  drainSeconds?: number;
  /** What the server logged at WARN or ERROR during the run. */
  warnings: ServerWarnings;
}

const SECRET = 'whsec_bench_connect_endpoint';

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The object's table and its snapshot-time column, as each server writes it. */
function tableOf(server: ServerKind, type: BenchEventType): { table: string; at: string } {
  if (server === 'sync-engine') return { table: 'stripe.customers', at: 'last_synced_at' };
  return type === 'account.updated'
    ? { table: 'stripe_accounts', at: 'snapshot_at' }
    : { table: 'stripe_customers', at: 'snapshot_at' };
}

/** Object id → the Stripe time (unix seconds) its row holds. */
async function rowsOf(
  target: { url: string } | { pgliteDir: string },
  server: ServerKind,
  type: BenchEventType,
  ids: string[],
): Promise<Map<string, number>> {
  const { table, at } = tableOf(server, type);
  const sql = `SELECT id, extract(epoch from ${at})::float8 AS at FROM ${table} WHERE id = ANY($1)`;
  let rows: { id: string; at: number | null }[];
  if ('url' in target) {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      rows = (await client.query<{ id: string; at: number | null }>(sql, [ids])).rows;
    } finally {
      await client.end();
    }
  } else {
    const db = await openPglite(target.pgliteDir);
    try {
      rows = (await db.query<{ id: string; at: number | null }>(sql, [ids])).rows;
    } finally {
      await db.close();
    }
  }
  return new Map(rows.map((row) => [row.id, Number(row.at)]));
}

async function runOnce(
  templates: Templates,
  server: ServerKind,
  database: DatabaseKind,
  scenario: Scenario,
  run: number,
  options: WebhookBenchOptions,
): Promise<RunResult> {
  const objects = Math.ceil((options.warmup + options.events) / options.versions);
  const plan = planDeliveries(templates, {
    type: scenario.type,
    objects,
    versions: options.versions,
    hot: scenario.hot,
  });
  const warmup = plan.deliveries.slice(0, options.warmup);
  const measured = plan.deliveries.slice(options.warmup, options.warmup + options.events);
  const dir = await mkdtemp(join(tmpdir(), 'nsc-bench-webhooks-'));
  const dbName = `nsc_bench_${process.pid}_${Date.now()}`;
  const env: Record<string, string> = { BENCH_WEBHOOK_SECRET: SECRET, BENCH_COUNT_QUERIES: '1' };
  let url: string | undefined;
  if (database === 'postgres') {
    if (!options.adminUrl) throw new Error('PostgreSQL runs need DATABASE_URL');
    await adminQuery(options.adminUrl, `CREATE DATABASE "${dbName}"`);
    url = databaseUrl(options.adminUrl, dbName);
    env.BENCH_DATABASE_URL = url;
    if (server !== 'sync-engine') {
      // The project's schema, migrated before the server starts (the floor writes the same tables).
      const dataSource = new DataSource(buildDataSourceOptions({ kind: 'postgres', url }));
      await dataSource.initialize();
      await dataSource.runMigrations();
      await dataSource.destroy();
    }
  } else {
    env.BENCH_PGLITE_DIR = join(dir, 'pglite');
  }
  const profileFile = options.profileDir
    ? join(options.profileDir, `${server}-${database}-${scenario.label}-${run}.cpuprofile`)
    : undefined;
  if (profileFile) env.BENCH_PROFILE_FILE = profileFile;
  let child: BenchServer | undefined;
  try {
    child = await BenchServer.start(server, env);
    const endpoint = `http://127.0.0.1:${child.port}/stripe/webhooks/connect`;
    const send = { secret: SECRET, concurrency: options.concurrency };
    if (scenario.type === 'customer.updated' && server !== 'sync-engine') {
      const seeded = await drive(endpoint, seedDeliveries(templates, plan.accountsToSeed), send);
      if (seeded.failures.size) {
        throw new Error(`seeding accounts failed: ${JSON.stringify([...seeded.failures])}`);
      }
      // Queued: the accounts are mirrored before their customers arrive.
      if (server === 'queued') await drainQueue(url!);
    }
    if (warmup.length) await drive(endpoint, warmup, send);
    if (server === 'queued') await drainQueue(url!);
    const pgCpu = url ? await BackendCpu.start(options.adminUrl!, dbName) : null;
    await child.mark();
    const load = await drive(endpoint, measured, send);
    // Queued: CPU and rows once the workers processed everything (ingest and processing both counted).
    const drain = server === 'queued' ? await drainQueue(url!) : undefined;
    const stats = await child.stats();
    const pgCpuMs = pgCpu ? await pgCpu.elapsedMs() : null;
    await child.stop();
    const rows = await rowsOf(
      url ? { url } : { pgliteDir: env.BENCH_PGLITE_DIR },
      server,
      scenario.type,
      [...plan.newest.keys()],
    );
    const mirrored = measured.filter(
      (delivery) => load.ok.has(delivery.eventId) && rows.has(delivery.objectId),
    ).length;
    let newestObjects = 0;
    for (const [id, newest] of plan.newest) if (rows.get(id) === newest) newestObjects += 1;
    return {
      server,
      database,
      scenario,
      run,
      measured: measured.length,
      answered: load.ok.size,
      mirrored,
      newestObjects,
      objects,
      seconds: load.seconds,
      p50: quantile(load.latencies, 0.5),
      p99: quantile(load.latencies, 0.99),
      failures: load.failures,
      firstFailure: load.firstFailure,
      stats,
      pgCpuMs,
      drainSeconds: drain?.seconds,
      warnings: child.warnings,
    };
  } finally {
    await child?.stop();
    if (url)
      await adminQuery(options.adminUrl!, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  }
}

function scenariosOf(options: WebhookBenchOptions): Scenario[] {
  const scenarios: Scenario[] = [];
  if (options.types.includes('account.updated')) {
    scenarios.push({ type: 'account.updated', hot: false, label: 'account.updated' });
  }
  if (options.types.includes('customer.updated')) {
    scenarios.push({ type: 'customer.updated', hot: false, label: 'customer.updated' });
    if (options.hot) {
      scenarios.push({ type: 'customer.updated', hot: true, label: 'customer.updated-hot' });
    }
  }
  return scenarios;
}

function applies(server: ServerKind, database: DatabaseKind, scenario: Scenario): boolean {
  if (database === 'pglite') return server === 'service';
  if (server === 'sync-engine') return scenario.type === 'customer.updated';
  return true;
}

const fixed = (value: number | null, digits: number): string =>
  value === null || Number.isNaN(value) ? '-' : value.toFixed(digits);

function printTable(results: RunResult[]): void {
  const reference = (server: ServerKind, result: RunResult): RunResult | undefined =>
    results.find(
      (other) =>
        other.server === server &&
        other.database === 'postgres' &&
        other.run === result.run &&
        other.scenario.label === result.scenario.label,
    );
  const rate = (result: RunResult): number => result.mirrored / result.seconds;
  const header = [
    'server',
    'database',
    'scenario',
    'run',
    'events/s',
    'x floor',
    'x sync-engine',
    'p50 ms',
    'p99 ms',
    'server CPU ms/ev (user+sys)',
    'PG CPU ms/ev',
    'round trips/ev',
    'peak RSS MB',
    'mirrored',
    'newest kept',
  ];
  const rows = results.map((result) => {
    const floor = reference('floor', result);
    const engine = reference('sync-engine', result);
    const queries = Object.values(result.stats.queries).reduce((sum, n) => sum + n, 0);
    return [
      result.server,
      result.database,
      result.scenario.label,
      String(result.run),
      fixed(rate(result), 0),
      floor ? fixed(rate(result) / rate(floor), 2) : '-',
      engine ? fixed(rate(result) / rate(engine), 2) : '-',
      fixed(result.p50, 1),
      fixed(result.p99, 1),
      `${fixed((result.stats.cpuUserMs + result.stats.cpuSystemMs) / result.measured, 2)} (${fixed(result.stats.cpuUserMs / result.measured, 2)}+${fixed(result.stats.cpuSystemMs / result.measured, 2)})`,
      result.pgCpuMs === null ? '-' : fixed(result.pgCpuMs / result.measured, 2),
      queries ? fixed(queries / result.measured, 1) : '-',
      fixed(result.stats.peakRssMb, 0),
      `${result.mirrored}/${result.measured}`,
      `${result.newestObjects}/${result.objects}`,
    ];
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i < 3 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
  for (const result of results) {
    if (result.failures.size) {
      console.log(
        `  ${result.server} ${result.database} ${result.scenario.label} run ${result.run}: answers other than 2xx: ${JSON.stringify(Object.fromEntries(result.failures))}`,
      );
      for (const [outcome, body] of result.firstFailure)
        console.log(`    first ${outcome}: ${body}`);
    }
  }
}

function printQueries(result: RunResult): void {
  const entries = Object.entries(result.stats.queries).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return;
  console.log(
    `\nStatements per event, ${result.server} on ${result.database}, ${result.scenario.label} (run ${result.run}):`,
  );
  for (const [sql, count] of entries) {
    console.log(`  ${(count / result.measured).toFixed(2).padStart(6)}  ${sql.slice(0, 160)}`);
  }
}

async function printProfile(result: RunResult): Promise<void> {
  if (!result.stats.profileFile) return;
  const summary = summariseProfile(await readProfile(result.stats.profileFile), 20);
  console.log(
    `\nCPU profile, ${result.server} on ${result.database}, ${result.scenario.label} (${result.stats.profileFile}):`,
  );
  const cpuMs = (result.stats.cpuUserMs + result.stats.cpuSystemMs) / result.measured;
  console.log(formatSummary(summary, cpuMs));
}

export async function benchWebhooks(options: WebhookBenchOptions): Promise<void> {
  const databases = options.databases.filter((db) => db === 'pglite' || options.adminUrl);
  if (options.databases.includes('postgres') && !options.adminUrl) {
    console.log('webhooks: DATABASE_URL is not set, so the PostgreSQL runs are skipped');
  }
  console.log(
    `webhooks: ${options.events} measured deliveries after ${options.warmup} warm-up, ` +
      `${options.concurrency} in flight, ${options.versions} versions per object; ` +
      `servers ${options.servers.join(', ')}; ${options.runs} run(s) each`,
  );
  if (options.adminUrl && databases.includes('postgres')) {
    const client = new pg.Client({ connectionString: options.adminUrl });
    await client.connect();
    const settings = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')`,
    );
    await client.end();
    console.log(
      `PostgreSQL: ${settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`,
    );
  }
  if (options.profileDir) await mkdir(options.profileDir, { recursive: true });
  const templates = await makeTemplates();
  const objects = Math.ceil((options.warmup + options.events) / options.versions);
  for (const scenario of scenariosOf(options)) {
    const plan = planDeliveries(templates, { ...scenario, objects, versions: options.versions });
    console.log(
      `  ${scenario.label}: ${objects} objects on ${plan.accountsToSeed.length || objects} account(s); ` +
        `${plan.outOfOrder} of ${plan.deliveries.length} deliveries come after a newer version of their object`,
    );
  }
  const results: RunResult[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    for (const database of databases) {
      for (const scenario of scenariosOf(options)) {
        for (const server of options.servers) {
          if (!applies(server, database, scenario)) continue;
          const result = await runOnce(templates, server, database, scenario, run, options);
          console.log(
            `  ${server} on ${database}, ${scenario.label}, run ${run}: ` +
              `${(result.mirrored / result.seconds).toFixed(0)} mirrored events/s ` +
              `(${result.answered}/${result.measured} answered 2xx in ${result.seconds.toFixed(1)} s)` +
              (result.drainSeconds === undefined
                ? ''
                : `; processed ${result.drainSeconds.toFixed(1)} s after the last answer`),
          );
          if (result.warnings.count) {
            console.log(
              `    the server logged ${result.warnings.count} warning(s) or error(s); first:`,
            );
            for (const warning of result.warnings.first) console.log(`      ${warning}`);
          }
          results.push(result);
        }
      }
    }
  }
  console.log('');
  printTable(results);
  for (const result of results) {
    if ((result.server === 'service' || result.server === 'queued') && result.run === 1)
      printQueries(result);
  }
  for (const result of results) await printProfile(result);
}
