/**
 * `npm run bench [-- <bench>... [--flags]]`: the benches named (all when none), bounded in count and time,
 * on 127.0.0.1 only. `npm run bench -- --help` lists the benches and flags.
 */
import { benchBackfill } from './backfill-bench.js';
import { parseArgs } from 'node:util';
import { startOwnPostgres } from './own-postgres.js';
import { benchSandbox } from './sandbox-bench.js';
import type { ServerKind } from './server-process.js';
import type { BenchEventType } from './webhook-deliveries.js';
import { benchWebhooks, type DatabaseKind } from './webhooks-bench.js';
import { benchQueuedLag } from './queued-lag-bench.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    help: { type: 'boolean' },
    requests: { type: 'string', default: process.env.BENCH_REQUESTS ?? '3000' },
    events: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    versions: { type: 'string', default: '5' },
    servers: { type: 'string', default: 'floor,service,queued,sync-engine' },
    databases: { type: 'string', default: 'postgres,pglite' },
    types: { type: 'string', default: 'account.updated,customer.updated' },
    'no-hot': { type: 'boolean' },
    'own-postgres': { type: 'boolean' },
    runs: { type: 'string', default: '1' },
    profile: { type: 'string' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '60' },
    instances: { type: 'string', default: '1,3' },
    'max-in-flight': { type: 'string', default: '256' },
  },
});

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const count = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = list(value);
  const wrong = items.filter((item) => !allowed.includes(item as T));
  if (wrong.length || !items.length) {
    throw new Error(`--${name} takes a comma-separated list of ${allowed.join(', ')}`);
  }
  return items as T[];
}

/** The benches, by name: each one line here. */
const benches: Record<string, { about: string; run: () => Promise<void> }> = {
  sandbox: {
    about: 'the Stripe sandbox through the SDK (--requests N)',
    run: () => benchSandbox({ requests: count('requests', flags.requests) }),
  },
  webhooks: {
    about:
      'the webhook path against the floor and the sync engine (--events --warmup --concurrency --versions ' +
      '--servers floor,service,queued,sync-engine --databases postgres,pglite --types account.updated,customer.updated ' +
      '--no-hot --runs N --profile DIR); PostgreSQL runs use DATABASE_URL, or with --own-postgres a ' +
      'PostgreSQL the bench starts (fsync on)',
    run: async () => {
      const own = flags['own-postgres'] ? await startOwnPostgres() : undefined;
      try {
        await benchWebhooks({
          events: count('events', flags.events),
          warmup: count('warmup', flags.warmup),
          concurrency: Math.max(1, count('concurrency', flags.concurrency)),
          versions: Math.max(1, count('versions', flags.versions)),
          servers: oneOf<ServerKind>('servers', flags.servers, [
            'floor',
            'service',
            'queued',
            'sync-engine',
          ]),
          databases: oneOf<DatabaseKind>('databases', flags.databases, ['postgres', 'pglite']),
          types: oneOf<BenchEventType>('types', flags.types, [
            'account.updated',
            'customer.updated',
          ]),
          hot: !flags['no-hot'],
          runs: Math.max(1, count('runs', flags.runs)),
          profileDir: flags.profile,
          adminUrl: own?.url ?? process.env.DATABASE_URL,
        });
      } finally {
        await own?.stop();
      }
    },
  },
  'queued-lag': {
    about:
      'queued mode end to end: account.updated offered at --rate N/s for --duration S seconds to ' +
      '--instances 1,3 app instances on one database (--versions, --max-in-flight 256); lag p50/p99 ' +
      'from delivery to processed, CPU per event, load average; PostgreSQL only (DATABASE_URL)',
    run: () =>
      benchQueuedLag({
        rate: Math.max(1, count('rate', flags.rate)),
        seconds: Math.max(1, count('duration', flags.duration)),
        instances: list(flags.instances).map((n) => Math.max(1, count('instances', n))),
        versions: Math.max(1, count('versions', flags.versions)),
        maxInFlight: Math.max(1, count('max-in-flight', flags['max-in-flight'])),
        adminUrl: process.env.DATABASE_URL,
      }),
  },
  backfill: {
    about:
      'the backfill (accounts:sync) of a sandbox seeded with BENCH_BACKFILL_ACCOUNTS (default 100,000) ' +
      'accounts; PostgreSQL only (DATABASE_URL)',
    run: () => benchBackfill(),
  },
};

if (flags.help) {
  console.log('npm run bench -- [bench...] [flags]\n');
  for (const [name, bench] of Object.entries(benches))
    console.log(`  ${name.padEnd(10)} ${bench.about}`);
} else {
  const unknown = positionals.filter((name) => !(name in benches));
  if (unknown.length) throw new Error(`Unknown bench: ${unknown.join(', ')} (see --help)`);
  for (const name of positionals.length ? positionals : Object.keys(benches)) {
    await benches[name].run();
  }
}
