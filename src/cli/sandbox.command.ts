import type { Command } from 'commander';
import { SandboxClient } from '../stripe-sandbox/sandbox-client.js';
import type { CliContext } from './cli-context.js';
import { parseWhole, UsageError } from './cli-errors.js';
import { Progress } from './progress.js';
import { resolveSandboxUrl } from './sandbox-address.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `3600`, `90m`, `36h`, `7d` → seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value);
  if (!match) throw new UsageError('the duration must be seconds or a number with s, m, h or d');
  return Number(match[1]) * UNITS[match[2] || 's'];
}

function describeClock(url: string, now: number): string {
  return `sandbox ${url}: clock ${new Date(now * 1000).toISOString()} (${now})`;
}

/** The sandbox's own helpers: where it is, its clock, seeding it with accounts. */
export function registerSandboxCommands(program: Command, context: CliContext): void {
  const sandbox = program
    .command('sandbox')
    .description(
      'The Stripe sandbox: the embedded one of the running app (no STRIPE_SECRET_KEY), or the standalone ' +
        'one at STRIPE_API_BASE / --url',
    );
  const client = (options: { url?: string }) =>
    new SandboxClient(resolveSandboxUrl(context.env, options.url));

  sandbox
    .command('status')
    .description("The sandbox's address and clock")
    .option('--url <url>', 'the sandbox, e.g. http://127.0.0.1:12111')
    .action(async (options: { url?: string }) => {
      const sandboxClient = client(options);
      context.io.out(describeClock(sandboxClient.baseUrl, await sandboxClient.now()));
    });

  const clock = sandbox.command('clock').description("The sandbox's clock");
  clock
    .command('show')
    .description("Print the sandbox's time (ISO 8601 and unix seconds)")
    .option('--url <url>', 'the sandbox, e.g. http://127.0.0.1:12111')
    .action(async (options: { url?: string }) => {
      const sandboxClient = client(options);
      context.io.out(describeClock(sandboxClient.baseUrl, await sandboxClient.now()));
    });
  clock
    .command('advance')
    .description(
      'Move the clock forward, run everything that falls due (balances, payouts, deadlines) and deliver ' +
        'the resulting events before answering',
    )
    .argument('<duration>', 'seconds, or a number with s, m, h or d (e.g. 36h)')
    .option('--url <url>', 'the sandbox, e.g. http://127.0.0.1:12111')
    .action(async (duration: string, options: { url?: string }) => {
      const seconds = parseDuration(duration);
      const sandboxClient = client(options);
      context.io.out(describeClock(sandboxClient.baseUrl, await sandboxClient.advance(seconds)));
    });

  sandbox
    .command('seed')
    .description(
      'Add connected accounts to the sandbox as a platform adopting the library already has them (no events ' +
        'are sent): custom accounts, enabled, each with a bank account; companies with their persons',
    )
    .option('--accounts <n>', 'how many accounts (1 to 1,000,000)', '1000')
    .option('--companies <percent>', 'the share of company accounts, with persons (0 to 100)', '20')
    .option('--url <url>', 'the sandbox, e.g. http://127.0.0.1:12111')
    .action(async (options: { accounts: string; companies: string; url?: string }) => {
      const total = parseWhole(options.accounts, 'accounts', 1, 1_000_000);
      const companies = parseWhole(options.companies, 'companies', 0, 100);
      const url = resolveSandboxUrl(context.env, options.url);
      const progress = new Progress(context.io, 'seeding accounts');
      progress.start(total);
      let created = 0;
      while (created < total) {
        const batch = Math.min(10_000, total - created);
        const response = await fetch(new URL('/_sandbox/seed', url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ accounts: batch, companyPercent: companies }),
        });
        const body = (await response.json()) as {
          accounts?: number;
          error?: { message: string };
        };
        if (!response.ok) throw new Error(body.error?.message ?? `seed: HTTP ${response.status}`);
        created += batch;
        progress.tick(batch);
      }
      progress.stop();
      context.io.out(`${created} account(s) seeded in ${url}`);
    });
}
