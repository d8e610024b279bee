import type { Command } from 'commander';
import { withAppContext } from './cli-app.js';
import type { CliContext } from './cli-context.js';
import { parseWhole, UsageError } from './cli-errors.js';
import { Progress } from './progress.js';

interface SyncOptions {
  account?: string;
  concurrency: string;
  writers: string;
  restart?: boolean;
  ownerMetadataKey?: string;
}

/** `accounts:sync`: the backfill of connected accounts from Stripe into the mirror. */
export function registerAccountCommands(program: Command, context: CliContext): void {
  program
    .command('accounts:sync')
    .description(
      'Import or refresh every connected account (accounts.list), with its external accounts, persons and ' +
        'capabilities, through the same guarded writes as the webhooks (an older snapshot never overwrites a ' +
        'newer one; owners are kept). Resumes an interrupted run (its cursor is kept in the database). ' +
        'Exit code 1 when some account failed.',
    )
    .option('--account <acct>', 'only this account')
    .option(
      '--concurrency <n>',
      "calls to Stripe at once for a page's persons and long bank-account lists (1 to 64)",
      '8',
    )
    .option(
      '--writers <n>',
      'pages of 100 accounts written at once, one transaction each (1 to 8)',
      '2',
    )
    .option('--restart', 'start from the beginning even if the last run was interrupted')
    .option(
      '--owner-metadata-key <key>',
      "set the owner of accounts without one from this metadata key (the library's creates write user_id)",
    )
    .action(async (options: SyncOptions) => {
      if (options.account && !/^acct_\w+$/.test(options.account))
        throw new UsageError('--account must be a connected account id (acct_…)');
      const concurrency = parseWhole(options.concurrency, 'concurrency', 1, 64);
      const writers = parseWhole(options.writers, 'writers', 1, 8);
      await withAppContext(context.env, async (app, { AccountsSyncService }) => {
        const progress = new Progress(context.io, 'accounts:sync');
        const summary = await app.get(AccountsSyncService).sync({
          account: options.account,
          concurrency,
          writers,
          restart: options.restart,
          ownerMetadataKey: options.ownerMetadataKey,
          onStart: ({ estimated, resumedAfter, synced }) => {
            if (resumedAfter)
              context.io.err(`resuming after ${resumedAfter} (${synced} synced before)`);
            progress.start(Math.max(estimated, synced), synced);
          },
          onAccount: () => progress.tick(),
        });
        progress.stop();
        for (const failure of summary.failed)
          context.io.out(`failed ${failure.id}: ${failure.message}`);
        const rate = summary.seconds > 0 ? Math.round(summary.synced / summary.seconds) : 0;
        context.io.out(
          `${summary.synced} account(s) synced (${summary.externalAccounts} external account(s), ` +
            `${summary.persons} person(s)), ${summary.failed.length} failed, in ${summary.seconds.toFixed(1)} s ` +
            `(${rate}/s)${summary.resumedAfter ? `, resumed after ${summary.resumedAfter}` : ''}`,
        );
        if (summary.failed.length) context.failed = true;
      });
    });
}
