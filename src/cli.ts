/**
 * `npm run cli -- <command>`:
 *   token <userId> [--platform] [--expires-in 12h]   print a bearer token signed with AUTH_JWT_SECRET
 *   events:replay [--id …] [--type …] [--account …] [--since …] [--until …] [--failed]
 *                                                   reprocess stored Stripe events
 *   onboarding-url <userId>                         print a one-time sign-in link to the onboarding pages
 */
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { signAuthToken } from './auth/jwt.js';
import { ConfigError, loadAuthConfig, loadConfig } from './config/app-config.js';
import {
  ONBOARDING_URL_USAGE,
  onboardingUrlCommand,
} from './onboarding-pages/onboarding-url.command.js';
import { WebhooksService, type EventReplayFilter } from './stripe-connect/index.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  token <userId> [--platform] [--expires-in <duration>]
      Print a bearer token for <userId>, signed with AUTH_JWT_SECRET (or the development secret).
      --platform marks the platform's back office (role "platform"). Default lifetime 12h.

  events:replay [--id <evt_…>] [--type <type>] [--account <acct_…>] [--since <time>] [--until <time>] [--failed]
      Reprocess stored Stripe events through the built-in sync and the listeners. With no option, every
      failed event; options narrow the selection (add --failed to keep only failed ones). Times are ISO 8601
      or unix seconds. Processing is idempotent: replaying a processed event is harmless. Uses the same
      configuration as the app; in sandbox mode, stop the app first (they share the sandbox's state file).

  ${ONBOARDING_URL_USAGE}`;

export class UsageError extends Error {}

/** Flags of the form `--name value` (and bare `--flag`), the rest positional. */
function parseArgs(
  args: string[],
  valued: string[],
): { flags: Map<string, string | true>; positional: string[] } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (valued.includes(name)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      i += 1;
    } else flags.set(name, true);
  }
  return { flags, positional };
}

function parseTime(value: string, flag: string): Date {
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--${flag} must be ISO 8601 or unix seconds`);
  return date;
}

async function token(rest: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { flags, positional } = parseArgs(rest, ['expires-in']);
  const userId = positional[0];
  if (!userId) throw new UsageError('token needs a <userId>');
  const problems: string[] = [];
  const auth = loadAuthConfig({ AUTH_JWT_SECRET: env.AUTH_JWT_SECRET }, problems);
  if (problems.length) throw new ConfigError(problems);
  const expiresIn = flags.get('expires-in');
  return signAuthToken(auth.jwtSecret, userId, {
    platform: flags.has('platform'),
    expiresIn: typeof expiresIn === 'string' ? expiresIn : undefined,
  });
}

async function replay(rest: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { flags, positional } = parseArgs(rest, ['id', 'type', 'account', 'since', 'until']);
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const text = (name: string) => {
    const value = flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const filter: EventReplayFilter = {
    failed: flags.has('failed'),
    id: text('id'),
    type: text('type'),
    account: text('account'),
    since: text('since') ? parseTime(text('since')!, 'since') : undefined,
    until: text('until') ? parseTime(text('until')!, 'until') : undefined,
  };
  const config = loadConfig(env);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const results = await app.get(WebhooksService).replay(filter);
    const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    const lines = results.map((r) => `${r.outcome.padEnd(9)} ${r.id} ${r.type}`);
    lines.push(
      `${results.length} event(s) replayed: ${count('processed')} processed, ${count('failed')} failed, ${count('busy')} busy`,
    );
    if (count('failed') || count('busy')) process.exitCode = 1;
    return lines.join('\n');
  } finally {
    await app.close();
  }
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const [command, ...rest] = argv;
  if (command === 'token') return token(rest, env);
  if (command === 'events:replay') return replay(rest, env);
  if (command === 'onboarding-url') return onboardingUrlCommand(rest, env);
  throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  runCli(process.argv.slice(2), process.env).then(
    (output) => console.log(output),
    (error: unknown) => {
      if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
      else console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
