/**
 * Queued mode end to end (issue 11): `account.updated` deliveries offered at a fixed rate for a fixed time
 * (open loop: sent on schedule whatever the answers, at most `maxInFlight` waiting), to one or several
 * instances of the app (`queued-server.ts`, child processes) on one fresh PostgreSQL database, round robin.
 * Lag is delivery to processed: the event's `processed_at` (the database's clock) minus the moment it was
 * sent (this process's clock, the same machine). Printed: offered and achieved rates, answer latency, lag
 * p50/p99/max, events not processed, CPU per event of the instances and of PostgreSQL, and load average.
 */
import http from 'node:http';
import { loadavg } from 'node:os';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { postSigned, quantile } from './load-generator.js';
import { BackendCpu } from './pg-backends.js';
import { drainQueue } from './queued-drain.js';
import { BenchServer } from './server-process.js';
import { makeTemplates, planDeliveries, type Delivery } from './webhook-deliveries.js';

export interface QueuedLagOptions {
  /** Offered deliveries per second. */
  rate: number;
  seconds: number;
  /** Instance counts to measure, e.g. [1, 3]. */
  instances: number[];
  versions: number;
  maxInFlight: number;
  adminUrl?: string;
}

const SECRET = 'whsec_bench_connect_endpoint';

interface Offered {
  sentAt: Map<string, number>;
  answerMs: number[];
  failures: Map<string, number>;
  /** Deliveries sent later than their schedule because `maxInFlight` were waiting. */
  late: number;
  seconds: number;
}

/** One signed delivery's HTTP status (the body, a few bytes, is read and dropped). */
async function post(agent: http.Agent, url: URL, payload: string): Promise<number> {
  return (await postSigned(agent, url, payload, SECRET)).status;
}

/** Sends `deliveries` on schedule (`rate` per second), round robin over `endpoints`. */
async function offer(
  endpoints: URL[],
  deliveries: Delivery[],
  rate: number,
  maxInFlight: number,
): Promise<Offered> {
  const agents = endpoints.map(
    () =>
      // Idle sockets are dropped before the server's keep-alive timeout (5 s) would close them: otherwise a
      // send can race the server's close of a socket left idle (an ECONNRESET no receiver could prevent).
      new http.Agent({
        keepAlive: true,
        maxSockets: Math.ceil(maxInFlight / endpoints.length),
        timeout: 4_000,
      }),
  );
  const result: Offered = {
    sentAt: new Map(),
    answerMs: [],
    failures: new Map(),
    late: 0,
    seconds: 0,
  };
  const started = performance.now();
  let next = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  while (next < deliveries.length) {
    const due = Math.min(
      deliveries.length,
      Math.floor(((performance.now() - started) / 1000) * rate) + 1,
    );
    while (next < due) {
      if (inFlight >= maxInFlight) {
        result.late += 1;
        break;
      }
      const delivery = deliveries[next];
      const target = next % endpoints.length;
      next += 1;
      inFlight += 1;
      const sent = performance.now();
      result.sentAt.set(delivery.eventId, Date.now());
      pending.push(
        post(agents[target], endpoints[target], delivery.payload)
          .then(
            (status) => {
              if (status < 200 || status >= 300)
                result.failures.set(String(status), (result.failures.get(String(status)) ?? 0) + 1);
            },
            (error: NodeJS.ErrnoException) => {
              const key = `error ${error.code ?? ''}`.trim();
              result.failures.set(key, (result.failures.get(key) ?? 0) + 1);
            },
          )
          .finally(() => {
            inFlight -= 1;
            result.answerMs.push(performance.now() - sent);
          }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(pending);
  result.seconds = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
  return result;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function runOnce(options: QueuedLagOptions, instances: number): Promise<void> {
  const adminUrl = options.adminUrl!;
  const name = `nsc_bench_lag_${process.pid}_${Date.now()}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(
    buildDataSourceOptions({ kind: 'postgres', url: url.toString() }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  const total = Math.round(options.rate * options.seconds);
  const plan = planDeliveries(await makeTemplates(), {
    type: 'account.updated',
    objects: Math.ceil(total / options.versions),
    versions: options.versions,
    hot: false,
  });
  const deliveries = plan.deliveries.slice(0, total);
  const servers: BenchServer[] = [];
  try {
    for (let i = 0; i < instances; i += 1)
      servers.push(
        await BenchServer.start('queued', {
          BENCH_WEBHOOK_SECRET: SECRET,
          BENCH_DATABASE_URL: url.toString(),
        }),
      );
    const endpoints = servers.map(
      (server) => new URL(`http://127.0.0.1:${server.port}/stripe/webhooks/connect`),
    );
    const loadBefore = loadavg()[0];
    const pgCpu = await BackendCpu.start(adminUrl, name);
    for (const server of servers) await server.mark();
    const offered = await offer(endpoints, deliveries, options.rate, options.maxInFlight);
    const drain = await drainQueue(url.toString(), 120_000);
    const stats = await Promise.all(servers.map((server) => server.stats()));
    const pgCpuMs = pgCpu ? await pgCpu.elapsedMs() : null;
    const loadAfter = loadavg()[0];
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const { rows } = await client.query<{ id: string; at: number | null }>(
      `SELECT id, extract(epoch FROM processed_at) * 1000 AS at FROM stripe_events WHERE status = 'processed'`,
    );
    await client.end();
    const lags: number[] = [];
    for (const row of rows) {
      const sent = offered.sentAt.get(row.id);
      if (sent !== undefined && row.at !== null) lags.push(Number(row.at) - sent);
    }
    const cpuMs = stats.reduce((sum, s) => sum + s.cpuUserMs + s.cpuSystemMs, 0);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `  ${instances} instance(s): offered ${options.rate}/s for ${options.seconds} s (${deliveries.length} deliveries), ` +
        `sent in ${offered.seconds.toFixed(1)} s (${(deliveries.length / offered.seconds).toFixed(0)}/s achieved, ` +
        `${offered.late} sends held back by ${options.maxInFlight} in flight)\n` +
        `    answers: p50 ${ms(quantile(offered.answerMs, 0.5))}, p99 ${ms(quantile(offered.answerMs, 0.99))}; ` +
        `not 2xx: ${JSON.stringify(Object.fromEntries(offered.failures))}\n` +
        `    lag (delivery to processed): p50 ${ms(quantile(lags, 0.5))}, p99 ${ms(quantile(lags, 0.99))}, ` +
        `max ${ms(Math.max(...lags))}; processed ${lags.length}/${deliveries.length}` +
        (drain.pending ? ` (${drain.pending} still pending after the 120 s drain limit)` : '') +
        `, drained ${drain.seconds.toFixed(1)} s after the last answer\n` +
        `    CPU per event: instances ${(cpuMs / deliveries.length).toFixed(2)} ms, PostgreSQL ` +
        `${pgCpuMs === null ? '-' : (pgCpuMs / deliveries.length).toFixed(2)} ms; ` +
        `peak RSS ${stats.map((s) => s.peakRssMb.toFixed(0)).join('/')} MB; ` +
        `load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
    );
  } finally {
    for (const server of servers) await server.stop();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

export async function benchQueuedLag(options: QueuedLagOptions): Promise<void> {
  if (!options.adminUrl) {
    console.log('queued-lag: DATABASE_URL is not set (queued mode is PostgreSQL only): skipped');
    return;
  }
  console.log(
    `queued-lag: account.updated offered at ${options.rate}/s for ${options.seconds} s, ` +
      `${options.versions} versions per account, at most ${options.maxInFlight} in flight; ` +
      `instances ${options.instances.join(', ')}; load average now ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
  );
  for (const instances of options.instances) await runOnce(options, instances);
}
