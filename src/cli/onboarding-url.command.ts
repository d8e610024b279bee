import type { Command } from 'commander';
import { LOGIN_TOKEN_TTL_SECONDS } from '../onboarding-pages/login-token.js';
import { onboardingUrlCommand } from '../onboarding-pages/onboarding-url.command.js';
import type { CliContext } from './cli-context.js';
import { UsageError } from './cli-errors.js';

/** `onboarding-url <userId>`: a one-time sign-in link to the onboarding pages (no database). */
export function registerOnboardingUrlCommand(program: Command, context: CliContext): void {
  program
    .command('onboarding-url')
    .description(
      `Print a link, valid ${LOGIN_TOKEN_TTL_SECONDS / 60} minutes and once, that signs <userId> in to ` +
        'the onboarding pages (/onboarding) of the app at PUBLIC_URL (default http://localhost:<PORT>)',
    )
    .argument('[userId]', "the platform's user id to sign in")
    .action(async (userId: string | undefined) => {
      if (!userId) throw new UsageError('onboarding-url needs exactly one <userId>');
      context.io.out(await onboardingUrlCommand([userId], context.env));
    });
}
