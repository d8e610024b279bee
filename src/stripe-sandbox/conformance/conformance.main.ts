/**
 * `npm run sandbox:conformance -- <path to spec3.json>`: creates one of every object the sandbox serves,
 * through the official SDK, and checks each against Stripe's OpenAPI schema for it. Exits 1 on any violation.
 */
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { StripeSandbox } from '../stripe-sandbox.js';
import {
  accountSamples,
  connectedMoneySamples,
  customerSamples,
  eventSamples,
  hostedSamples,
  moneySamples,
  paymentSamples,
  savedCardSamples,
  personSamples,
  type AddSample,
} from './conformance.scenarios.js';
import { SchemaChecker, type OpenApiSchema, type SchemaViolation } from './schema-check.js';

/**
 * Required by the 2024 spec but absent from the `stripe` 23 SDK's types for API 2026-10-28 (none so far).
 * Each entry names the schema and property, and is only allowed absent, never wrong.
 */
const ABSENT_ALLOWED = new Set<string>([]);

async function main(): Promise<number> {
  const specPath = process.argv[2];
  if (!specPath) {
    console.error('Usage: npm run sandbox:conformance -- <path to spec3.json>');
    return 2;
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
    info: { version: string };
    components: { schemas: Record<string, OpenApiSchema> };
  };
  const checker = new SchemaChecker(spec.components.schemas, { absentAllowed: ABSENT_ALLOWED });
  const sandbox = await StripeSandbox.start();
  const stripe = new Stripe('sk_test_conformance', {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const samples: [string, string, unknown][] = [];
  const add: AddSample = (label, schema, value) => samples.push([label, schema, value]);
  try {
    const individual = await accountSamples(stripe, add);
    await customerSamples(stripe, add, individual);
    await eventSamples(stripe, add, individual);
    await personSamples(stripe, add);
    await moneySamples(stripe, add);
    await paymentSamples(stripe, add);
    await savedCardSamples(stripe, add);
    await connectedMoneySamples(stripe, sandbox, add);
    await hostedSamples(stripe, sandbox, add);
    add('deleted account', 'deleted_account', await stripe.accounts.del(individual.id));
    const error = await stripe.customers
      .retrieve('cus_missing')
      .catch((e: Stripe.errors.StripeError) => ({ error: e.raw }));
    add('error', 'error', error);
    // Every event the run emitted, and the object each carries, nested objects included.
    for (const { data } of sandbox.store.list<Stripe.Event>('event')) {
      const object = data.data.object as { object?: string };
      add(`event ${data.type}`, 'event', data);
      add(`event ${data.type} data.object`, object.object ?? 'unknown', object);
    }
  } finally {
    await sandbox.close();
  }

  console.log(
    `Checking ${samples.length} sandbox objects against Stripe's OpenAPI spec ${spec.info.version}`,
  );
  return report(checker, samples) ? 1 : 0;
}

/** Prints one line per kind of sample (events of a type are many), with its violations; answers their count. */
function report(checker: SchemaChecker, samples: [string, string, unknown][]): number {
  const groups = new Map<string, { count: number; violations: Set<string> }>();
  let failing = 0;
  let violations = 0;
  for (const [label, schema, value] of samples) {
    const found: SchemaViolation[] =
      value === undefined
        ? [{ path: label, message: 'no sample was produced' }]
        : checker.check(value, schema);
    const key = `${label} (${schema})`;
    const group = groups.get(key) ?? { count: 0, violations: new Set<string>() };
    group.count += 1;
    for (const violation of found) group.violations.add(`${violation.path}: ${violation.message}`);
    groups.set(key, group);
    if (found.length) failing += 1;
    violations += found.length;
  }
  for (const [key, group] of groups) {
    const times = group.count > 1 ? ` x${group.count}` : '';
    console.log(`${group.violations.size ? 'FAIL' : 'ok  '} ${key}${times}`);
    for (const violation of group.violations) console.log(`     ${violation}`);
  }
  console.log(
    `${samples.length - failing} of ${samples.length} conform; ${violations} violation(s)`,
  );
  return violations;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
