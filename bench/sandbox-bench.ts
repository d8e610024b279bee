/**
 * The Stripe sandbox through the official SDK: `customers.create`, 16 in flight, with its state in memory
 * and journaled to a file. Bounded: a fixed number of requests per run, on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { StripeSandbox } from '../src/stripe-sandbox/index.js';

const IN_FLIGHT = 16;
const WARMUP = 300;

async function run(label: string, requests: number, stateFile?: string): Promise<void> {
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
  await drive(requests, true);
  const seconds = (performance.now() - started) / 1000;
  await sandbox.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  console.log(
    `${label.padEnd(34)} ${(requests / seconds).toFixed(0).padStart(6)} req/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   (${requests} requests, ${IN_FLIGHT} in flight)`,
  );
}

export async function benchSandbox(options: { requests: number }): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nsc-bench-'));
  try {
    console.log(`sandbox: customers.create through the stripe SDK (Node ${process.version})`);
    await run('sandbox, state in memory', options.requests);
    await run('sandbox, state journaled to a file', options.requests, join(dir, 'state.jsonl'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
