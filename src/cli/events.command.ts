import type { Command } from 'commander';
import type { EventReplayFilter, StripeEventStatus } from '../stripe-connect/index.js';
import { withAppContext } from './cli-app.js';
import type { CliContext } from './cli-context.js';
import { parseTime, parseWhole, UsageError } from './cli-errors.js';
import { Progress } from './progress.js';

interface ReplayOptions {
  id?: string;
  type?: string;
  account?: string;
  since?: string;
  until?: string;
  failed?: boolean;
}

interface ListOptions {
  status?: string;
  type?: string;
  account?: string;
  since?: string;
  until?: string;
  limit: string;
  startingAfter?: string;
  json?: boolean;
}

const STATUSES = ['pending', 'processed', 'failed'];

/** `events:replay` and `events:list`: the stored Stripe events. */
export function registerEventCommands(program: Command, context: CliContext): void {
  program
    .command('events:replay')
    .description(
      'Reprocess stored Stripe events through the built-in sync and the listeners. With no option, every ' +
        'failed event; options narrow the selection (add --failed to keep only failed ones). Idempotent. ' +
        'Exit code 1 when an event still fails. In sandbox mode, stop the app first (they share its state).',
    )
    .option('--id <evt>', 'one event, whatever its status')
    .option('--type <type>', 'events of this type, e.g. account.updated')
    .option('--account <acct>', 'events about this connected account')
    .option('--since <time>', 'created at or after (ISO 8601 or unix seconds)')
    .option('--until <time>', 'created at or before (ISO 8601 or unix seconds)')
    .option('--failed', 'only failed events')
    .action(async (options: ReplayOptions) => {
      const filter: EventReplayFilter = {
        failed: options.failed ?? false,
        id: options.id,
        type: options.type,
        account: options.account,
        since: options.since ? parseTime(options.since, 'since') : undefined,
        until: options.until ? parseTime(options.until, 'until') : undefined,
      };
      await withAppContext(context.env, async (app, { WebhooksService }) => {
        const progress = new Progress(context.io, 'replaying events');
        const results = await app.get(WebhooksService).replay(filter, {
          onSelected: (count) => progress.start(count),
          onResult: () => progress.tick(),
        });
        progress.stop();
        const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
        for (const r of results) context.io.out(`${r.outcome.padEnd(9)} ${r.id} ${r.type}`);
        context.io.out(
          `${results.length} event(s) replayed: ${count('processed')} processed, ${count('failed')} failed, ${count('busy')} busy`,
        );
        if (count('failed') || count('busy')) context.failed = true;
      });
    });

  program
    .command('events:list')
    .description('List stored Stripe events, newest received first, with the errors of failed ones')
    .option('--status <status>', `pending, processed or failed`)
    .option('--type <type>', 'events of this type')
    .option('--account <acct>', 'events about this connected account')
    .option('--since <time>', 'received at or after (ISO 8601 or unix seconds)')
    .option('--until <time>', 'received before (ISO 8601 or unix seconds)')
    .option('--limit <n>', 'at most n events (1 to 1000)', '20')
    .option('--starting-after <evt>', 'the events received before this one (the next page)')
    .option('--json', 'one JSON object per line')
    .action(async (options: ListOptions) => {
      if (options.status && !STATUSES.includes(options.status))
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
      const limit = parseWhole(options.limit, 'limit', 1, 1000);
      const createdFrom = options.since ? parseTime(options.since, 'since') : undefined;
      const createdTo = options.until ? parseTime(options.until, 'until') : undefined;
      await withAppContext(context.env, async (app, { EventLogRepository }) => {
        const page = await app.get(EventLogRepository).list({
          limit,
          startingAfter: options.startingAfter,
          createdFrom,
          createdTo,
          status: options.status as StripeEventStatus | undefined,
          type: options.type,
          account: options.account,
        });
        for (const event of page.data) {
          if (options.json) {
            context.io.out(
              JSON.stringify({
                id: event.id,
                type: event.type,
                account: event.accountId,
                status: event.status,
                attempts: event.attempts,
                created: event.stripeCreatedAt.toISOString(),
                received: event.receivedAt.toISOString(),
                errors: (event.errors ?? []).map((e) => ({
                  attempt: e.attempt,
                  message: e.message,
                })),
              }),
            );
            continue;
          }
          context.io.out(
            [
              event.receivedAt.toISOString(),
              event.status.padEnd(9),
              event.id,
              event.type,
              event.accountId ?? 'platform',
              `attempts=${event.attempts}`,
            ].join(' '),
          );
          for (const error of event.errors ?? [])
            context.io.out(`    attempt ${error.attempt}: ${error.message}`);
        }
        if (!options.json) {
          const last = page.data[page.data.length - 1];
          context.io.out(
            `${page.data.length} event(s)${page.hasMore && last ? `; more with --starting-after ${last.id}` : ''}`,
          );
        }
      });
    });

  program
    .command('events:queue')
    .description(
      'Queued mode (WEBHOOK_PROCESSING=queued): jobs waiting, retrying, active, stuck and failed per queue, ' +
        'the dead-lettered count and the oldest waiting job’s age',
    )
    .option('--json', 'one JSON object')
    .action(async (options: { json?: boolean }) => {
      await withAppContext(context.env, async (app, { WebhookQueueService }) => {
        const health = await app.get(WebhookQueueService).queueHealth();
        // Exit code 1 while jobs sit in the dead-letter queue (for monitoring).
        if (health.queues?.deadLettered) context.failed = true;
        if (options.json) {
          context.io.out(JSON.stringify(health));
          return;
        }
        if (!health.queues) {
          context.io.out(
            'webhooks are processed inline (WEBHOOK_PROCESSING is not queued): no queue',
          );
          return;
        }
        for (const [name, counts] of [
          ['events', health.queues.events],
          ['listeners', health.queues.listeners],
        ] as const) {
          context.io.out(
            `${name.padEnd(9)} waiting=${counts.waiting} retrying=${counts.retrying} active=${counts.active} ` +
              `stuck=${counts.stuck} failed=${counts.failed} oldest-waiting=${
                counts.oldestWaitingSeconds === null ? '-' : `${counts.oldestWaitingSeconds}s`
              }`,
          );
        }
        context.io.out(`dead-lettered ${health.queues.deadLettered}`);
      });
    });
}
