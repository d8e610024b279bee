import type { Command } from 'commander';
import { signAuthToken } from '../auth/jwt.js';
import { ConfigError, loadAuthConfig } from '../config/app-config.js';
import type { CliContext } from './cli-context.js';

/** `token <userId> [--platform] [--expires-in 12h]`: a bearer token signed with AUTH_JWT_SECRET. */
export function registerTokenCommand(program: Command, context: CliContext): void {
  program
    .command('token')
    .description(
      'Print a bearer token for <userId>, signed with AUTH_JWT_SECRET (or the development secret)',
    )
    .argument('<userId>', "the platform's user id (the token's sub)")
    .option('--platform', 'a token of the platform\'s back office (role "platform")')
    .option('--expires-in <duration>', 'lifetime, e.g. 15m, 12h, 7d', '12h')
    .action(async (userId: string, options: { platform?: boolean; expiresIn: string }) => {
      const problems: string[] = [];
      const auth = loadAuthConfig({ AUTH_JWT_SECRET: context.env.AUTH_JWT_SECRET }, problems);
      if (problems.length) throw new ConfigError(problems);
      context.io.out(
        await signAuthToken(auth.jwtSecret, userId, {
          platform: options.platform ?? false,
          expiresIn: options.expiresIn,
        }),
      );
    });
}
