/**
 * The backfill (`accounts:sync`) against a sandbox seeded with accounts, on PostgreSQL (DATABASE_URL; a
 * throwaway database is created beside it). The sandbox runs in its own process, as Stripe would; the sync
 * runs here, through the same app context the CLI uses. Measures accounts/s and RSS after 1,000 accounts and
 * after BENCH_BACKFILL_ACCOUNTS (default 100,000), and checks one row per account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import type { AppConfig } from '../src/config/app-config.js';
import { AccountsSyncService } from '../src/stripe-connect/index.js';

const TOTAL = Number(process.env.BENCH_BACKFILL_ACCOUNTS ?? 100_000);
const FIRST = Math.min(1_000, TOTAL);
const CONCURRENCY = Number(process.env.BENCH_BACKFILL_CONCURRENCY ?? 16);
const WRITERS = Number(process.env.BENCH_BACKFILL_WRITERS ?? 2);
/** A directory for CPU profiles of the sandbox process (`--cpu-prof`); profile this one with `node --cpu-prof`. */
const SANDBOX_PROFILE = process.env.BENCH_BACKFILL_SANDBOX_PROFILE;

/** Another process's resident memory and CPU time so far (user + system), from /proc (Linux). */
function processUsage(pid: number): { rss: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (clock ticks of 10 ms).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rss, cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The standalone sandbox (dist build), in memory, on a free port. */
async function startSandbox(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      ...(SANDBOX_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', SANDBOX_PROFILE] : []),
      join(import.meta.dirname, '..', 'src', 'stripe-sandbox', 'sandbox.main.js'),
    ],
    { env: { ...process.env, SANDBOX_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  child.stdout.resume();
  return { url, child };
}

async function seed(url: string, accounts: number): Promise<void> {
  for (let done = 0; done < accounts;) {
    const batch = Math.min(10_000, accounts - done);
    const response = await fetch(`${url}/_sandbox/seed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accounts: batch, companyPercent: 20 }),
    });
    if (!response.ok) throw new Error(`seed: HTTP ${response.status} ${await response.text()}`);
    done += batch;
  }
}

/** The heap in use after a full collection (with `node --expose-gc`), or null. */
function heapAfterGc(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function benchBackfill(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.log('backfill: skipped (set DATABASE_URL: the figure is measured on PostgreSQL)');
    return;
  }
  const dbName = `nsc_bench_backfill_${Date.now()}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const sandbox = await startSandbox();
  const config: AppConfig = {
    port: 0,
    trustedProxies: [],
    onboarding: { publicUrl: 'http://localhost' },
    dataDir: '/nonexistent',
    database: { kind: 'postgres', url: dbUrl.toString() },
    stripe: {
      kind: 'stripe',
      secretKey: 'sk_test_bench_backfill',
      apiBase: sandbox.url,
      webhookSecrets: ['whsec_bench'],
      connectWebhookSecrets: ['whsec_bench'],
    },
    auth: { jwtSecret: 'x'.repeat(32), developmentSecret: false },
  };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error'],
  });
  try {
    const sync = app.get(AccountsSyncService);
    const sandboxPid = sandbox.child.pid!;
    // The CPU time of the PostgreSQL backends serving the bench's database (the server runs on this host).
    const postgresUsage = () =>
      admin(adminUrl, async (c) => {
        const { rows } = await c.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = $1',
          [dbName],
        );
        const usage = new Map<number, number>();
        for (const { pid } of rows) {
          try {
            usage.set(pid, processUsage(pid).cpuMs);
          } catch {
            // A backend that ended, or a server on another host: not counted.
          }
        }
        return usage;
      });
    let peak = 0;
    let sandboxPeak = 0;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().rss);
      sandboxPeak = Math.max(sandboxPeak, processUsage(sandboxPid).rss);
    };
    const sampler = setInterval(sample, 100);
    const round = async (label: string) => {
      peak = process.memoryUsage().rss;
      sandboxPeak = processUsage(sandboxPid).rss;
      const cpu = process.cpuUsage();
      const sandboxCpu = processUsage(sandboxPid).cpuMs;
      const postgresCpu = await postgresUsage();
      const marks: string[] = [];
      let count = 0;
      const summary = await sync.sync({
        concurrency: CONCURRENCY,
        writers: WRITERS,
        restart: true,
        // The memory while the run goes on: after 1,000 accounts, then every tenth of the run.
        onAccount: () => {
          count += 1;
          if (count === 1_000 || (count > 1_000 && count % Math.max(10_000, TOTAL / 10) === 0))
            marks.push(`${count}: ${mb(process.memoryUsage().rss)}`);
        },
      });
      sample();
      const used = process.cpuUsage(cpu);
      const syncCpuMs = (used.user + used.system) / 1000;
      const sandboxCpuMs = processUsage(sandboxPid).cpuMs - sandboxCpu;
      const postgresCpuMs = [...(await postgresUsage())].reduce(
        (sum, [pid, ms]) => sum + ms - (postgresCpu.get(pid) ?? 0),
        0,
      );
      const before = process.memoryUsage();
      if (process.env.BENCH_BACKFILL_MEMORY)
        console.log(
          `  sync memory at the end (before GC): rss ${mb(before.rss)}, heap ${mb(before.heapUsed)} of ${mb(before.heapTotal)}, ` +
            `external ${mb(before.external)}, array buffers ${mb(before.arrayBuffers)}`,
        );
      const heap = heapAfterGc();
      const rows = await admin(dbUrl.toString(), (c) =>
        c.query<{ n: string; distinct: string; externals: string; persons: string }>(
          `SELECT count(*) AS n, count(DISTINCT id) AS distinct,
                  (SELECT count(*) FROM stripe_external_accounts) AS externals,
                  (SELECT count(*) FROM stripe_persons) AS persons
             FROM stripe_accounts`,
        ),
      );
      const rate = summary.synced / summary.seconds;
      const perAccount = (ms: number) => `${((ms * 1000) / summary.synced).toFixed(0)} µs`;
      const row = rows.rows[0];
      console.log(
        `backfill ${label.padEnd(12)} ${summary.synced} accounts in ${summary.seconds.toFixed(1)} s = ` +
          `${rate.toFixed(0).padStart(5)} accounts/s; RSS peak: sync ${mb(peak)}, sandbox ${mb(sandboxPeak)}; ` +
          `CPU per account: sync ${perAccount(syncCpuMs)}, sandbox ${perAccount(sandboxCpuMs)}, ` +
          `PostgreSQL ${perAccount(postgresCpuMs)}; ` +
          (heap ? `sync heap after GC ${mb(heap)}; ` : '') +
          `load ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}\n` +
          `  sync RSS during the run (accounts: RSS): ${marks.join(', ')}\n` +
          `  rows: ${row.n} accounts (${row.distinct} distinct), ${row.externals} external accounts, ` +
          `${row.persons} persons; ${summary.persons} persons listed, ${summary.failed.length} failed`,
      );
    };
    /** The median of 5 list pages of 100 (from the start, then after each one's last id). */
    const timePage = async (size: number) => {
      const times: number[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const start = performance.now();
        const response = await fetch(
          `${sandbox.url}/v1/accounts?limit=100${after ? `&starting_after=${after}` : ''}`,
          { headers: { Authorization: 'Bearer sk_test_bench' } },
        );
        const body = (await response.json()) as { data: { id: string }[] };
        times.push(performance.now() - start);
        after = body.data[body.data.length - 1]?.id ?? null;
      }
      times.sort((a, b) => a - b);
      console.log(
        `sandbox: one page of 100 accounts at ${size}: median ${times[2].toFixed(0)} ms ` +
          `(${times[0].toFixed(0)}–${times[4].toFixed(0)} ms over 5 pages)`,
      );
    };
    const seedStart = performance.now();
    await seed(sandbox.url, FIRST);
    console.log(
      `seeded ${FIRST} accounts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    await round(`first ${FIRST}`);
    // After the round, so the sandbox's code is warm as it is at the larger size.
    await timePage(FIRST);
    if (TOTAL > FIRST) {
      const start = performance.now();
      await seed(sandbox.url, TOTAL - FIRST);
      console.log(
        `seeded ${TOTAL - FIRST} more in ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
      await timePage(TOTAL);
      await round(`all ${TOTAL}`);
    }
    clearInterval(sampler);
  } finally {
    await app.close();
    sandbox.child.kill('SIGTERM');
    await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
  }
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) await benchBackfill();
