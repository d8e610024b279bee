/**
 * `npm run cli -- <command>`:
 *   token <userId> [--platform] [--expires-in 12h]   print a bearer token signed with AUTH_JWT_SECRET
 */
import { ConfigError, loadAuthConfig } from './config/app-config.js';
import { signAuthToken } from './auth/jwt.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  token <userId> [--platform] [--expires-in <duration>]
      Print a bearer token for <userId>, signed with AUTH_JWT_SECRET (or the development secret).
      --platform marks the platform's back office (role "platform"). Default lifetime 12h.`;

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const [command, ...rest] = argv;
  if (command === 'token') {
    const positional = rest.filter(
      (arg, i) => !arg.startsWith('--') && rest[i - 1] !== '--expires-in',
    );
    const userId = positional[0];
    if (!userId) throw new UsageError('token needs a <userId>');
    const expiresAt = rest.indexOf('--expires-in');
    const expiresIn = expiresAt >= 0 ? rest[expiresAt + 1] : undefined;
    if (expiresAt >= 0 && !expiresIn)
      throw new UsageError('--expires-in needs a duration, e.g. 1h');
    const problems: string[] = [];
    const auth = loadAuthConfig({ AUTH_JWT_SECRET: env.AUTH_JWT_SECRET }, problems);
    if (problems.length) throw new ConfigError(problems);
    return signAuthToken(auth.jwtSecret, userId, {
      platform: rest.includes('--platform'),
      expiresIn,
    });
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
}

export class UsageError extends Error {}

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
