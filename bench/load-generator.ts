/**
 * Posts signed deliveries to a webhook URL on 127.0.0.1 with a fixed number in flight, over keep-alive
 * connections, and records each delivery's latency and status. Each delivery is signed when it is sent
 * (`generateTestHeaderString`), so a long run never sends a stale signature.
 */
import http from 'node:http';
import Stripe from 'stripe';
import type { Delivery } from './webhook-deliveries.js';

export interface LoadResult {
  seconds: number;
  /** Latency of every delivery, in milliseconds, in sending order. */
  latencies: number[];
  /** Deliveries answered 2xx. */
  ok: Set<string>;
  /** Status code (or `error`) → count, for answers other than 2xx. */
  failures: Map<string, number>;
  /** Status code (or `error`) → the first answer's body (200 characters), to say why. */
  firstFailure: Map<string, string>;
}

const signer = new Stripe('sk_test_bench_signer', { telemetry: false });

/** One signed delivery: its HTTP status and body. */
export function postSigned(
  agent: http.Agent,
  url: URL,
  payload: string,
  secret: string,
): Promise<{ status: number; body: string }> {
  const signature = signer.webhooks.generateTestHeaderString({ payload, secret });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
          'Stripe-Signature': signature,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Sends every delivery once, `concurrency` at a time. */
export async function drive(
  endpoint: string,
  deliveries: Delivery[],
  options: { secret: string; concurrency: number },
): Promise<LoadResult> {
  const url = new URL(endpoint);
  if (url.hostname !== '127.0.0.1') throw new Error('The bench only sends to 127.0.0.1');
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies = new Array<number>(deliveries.length);
  const ok = new Set<string>();
  const failures = new Map<string, number>();
  const firstFailure = new Map<string, string>();
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < deliveries.length) {
      const index = next;
      next += 1;
      const delivery = deliveries[index];
      const sent = performance.now();
      let outcome: string;
      let body: string;
      try {
        const answer = await postSigned(agent, url, delivery.payload, options.secret);
        outcome = answer.status >= 200 && answer.status < 300 ? 'ok' : String(answer.status);
        body = answer.body;
      } catch (error) {
        outcome = `error ${(error as NodeJS.ErrnoException).code ?? ''}`.trim();
        body = error instanceof Error ? error.message : String(error);
      }
      latencies[index] = performance.now() - sent;
      if (outcome === 'ok') {
        ok.add(delivery.eventId);
      } else {
        failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
        if (!firstFailure.has(outcome)) firstFailure.set(outcome, body.slice(0, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latencies, ok, failures, firstFailure };
}

/** The `p` quantile (0..1) of `values`, nearest rank. */
export function quantile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}
