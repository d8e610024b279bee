/**
 * `npm run bench`, bounded (a fixed number of requests per scenario), on 127.0.0.1 only:
 * - the Stripe sandbox through the official SDK: `customers.create`, 16 in flight, in memory and journaled;
 * - the webhook path: one delivery's median time, and events per second with 32 in flight (PostgreSQL when
 *   DATABASE_URL is set, PGlite otherwise);
 * - the backfill (`accounts:sync`) of a sandbox seeded with 100,000 accounts (PostgreSQL only).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { benchBackfill } from './backfill-bench.js';
import { benchWebhooks } from './webhooks-bench.js';

const IN_FLIGHT = 16;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WARMUP = 300;

async function run(label: string, stateFile?: string): Promise<void> {
  const sandbox = await StripeSandbox.start({ stateFile });
  const stripe = new Stripe('sk_test_bench', {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const latencies: number[] = [];
  const drive = async (count: number, record: boolean): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next += 1;
        const start = performance.now();
        await stripe.customers.create({
          email: `bench${next}@example.com`,
          metadata: { n: String(next) },
        });
        if (record) latencies.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  };
  await drive(WARMUP, false);
  const started = performance.now();
  await drive(REQUESTS, true);
  const seconds = (performance.now() - started) / 1000;
  await sandbox.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  console.log(
    `${label.padEnd(34)} ${(REQUESTS / seconds).toFixed(0).padStart(6)} req/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   (${REQUESTS} requests, ${IN_FLIGHT} in flight)`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'nsc-bench-'));
try {
  console.log(`Node ${process.version}; sandbox customers.create through the stripe SDK`);
  await run('sandbox, state in memory');
  await run('sandbox, state journaled to a file', join(dir, 'state.jsonl'));
  await benchWebhooks();
  await benchBackfill();
} finally {
  await rm(dir, { recursive: true, force: true });
}
