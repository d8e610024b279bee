/**
 * The `webhookProcessing` option of `StripeConnectModule`: inline (the default: each delivery is processed
 * before it is answered) or queued (answered once stored; workers on every instance process it through
 * pg-boss on PostgreSQL). See the README's "Queued mode".
 */
export interface WebhookProcessingOptions {
  /** `inline` (default) or `queued` (PostgreSQL only; needs the optional peer dependency `pg-boss` 10.4). */
  mode: 'inline' | 'queued';
  /**
   * Whether this instance runs workers (default true). `false`: it only stores and enqueues deliveries
   * (an ingest-only instance; others process them).
   */
  workers?: boolean;
  /**
   * Events a sync worker claims at once (default 250: under a flood, larger batches spend fewer round trips
   * and less CPU per event; measured in bench/PROFILE.md); listener workers take at most 100 (event,
   * listener) jobs at once, or `batchSize` when smaller.
   */
  batchSize?: number;
  /** Workers per queue on each instance (each claims its own batches); default 2. */
  concurrency?: number;
  /** How often an idle worker looks for jobs, in milliseconds (it is woken at once by this instance's deliveries); default 250. */
  pollIntervalMs?: number;
  /** Retries of a failed sync or listener job before it is dead-lettered; default 5. */
  retryLimit?: number;
  /** First retry delay in seconds, doubled (with jitter) at each retry; default 2. */
  retryDelaySeconds?: number;
  /** How long a claimed job may run before it is taken for lost and retried; default 300. */
  expireInSeconds?: number;
  /** PostgreSQL schema of pg-boss's tables; default `pgboss`. */
  schema?: string;
}

export type ResolvedWebhookProcessing =
  | { mode: 'inline' }
  | {
      mode: 'queued';
      workers: boolean;
      batchSize: number;
      concurrency: number;
      pollIntervalMs: number;
      retryLimit: number;
      retryDelaySeconds: number;
      expireInSeconds: number;
      schema: string;
    };

function integer(
  problems: string[],
  name: string,
  value: number | undefined,
  fallback: number,
  [min, max]: [number, number],
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    problems.push(`webhookProcessing.${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** Validates `webhookProcessing` (problems are added to the module's list) and applies its defaults. */
export function resolveWebhookProcessing(
  value: WebhookProcessingOptions | undefined,
  problems: string[],
): ResolvedWebhookProcessing {
  if (value === undefined) return { mode: 'inline' };
  if (!value || typeof value !== 'object' || !['inline', 'queued'].includes(value.mode)) {
    problems.push("webhookProcessing.mode must be 'inline' or 'queued'");
    return { mode: 'inline' };
  }
  if (value.mode === 'inline') return { mode: 'inline' };
  const schema = value.schema ?? 'pgboss';
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,49}$/.test(schema))
    problems.push('webhookProcessing.schema must be a lower-case PostgreSQL identifier');
  if (value.workers !== undefined && typeof value.workers !== 'boolean')
    problems.push('webhookProcessing.workers must be true or false');
  return {
    mode: 'queued',
    workers: value.workers !== false,
    batchSize: integer(problems, 'batchSize', value.batchSize, 250, [1, 1000]),
    concurrency: integer(problems, 'concurrency', value.concurrency, 2, [1, 32]),
    pollIntervalMs: integer(problems, 'pollIntervalMs', value.pollIntervalMs, 250, [10, 60_000]),
    retryLimit: integer(problems, 'retryLimit', value.retryLimit, 5, [0, 100]),
    retryDelaySeconds: integer(
      problems,
      'retryDelaySeconds',
      value.retryDelaySeconds,
      2,
      [1, 3600],
    ),
    expireInSeconds: integer(problems, 'expireInSeconds', value.expireInSeconds, 300, [1, 86_400]),
    schema,
  };
}
