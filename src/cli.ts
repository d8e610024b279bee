/**
 * `npm run cli -- <command>`: the operator's commands (`--help` on each). Exit codes: 0 done, 1 some work
 * failed, 2 usage or configuration error, 3 unexpected error (see cli/cli-errors.ts).
 */
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './cli/accounts.command.js';
import type { CliContext } from './cli/cli-context.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE, EXIT_WORK_FAILED, UsageError } from './cli/cli-errors.js';
import { CapturingIo, processIo, type CliIo } from './cli/cli-io.js';
import { registerEventCommands } from './cli/events.command.js';
import { registerOnboardingUrlCommand } from './cli/onboarding-url.command.js';
import { registerSandboxCommands } from './cli/sandbox.command.js';
import { registerTokenCommand } from './cli/token.command.js';
import { ConfigError } from './config/app-config.js';

export { UsageError } from './cli/cli-errors.js';

/** The program, its commands writing to `context.io`. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('npm run cli --')
    .description('Operate a nest-stripe-connect platform: tokens, events, accounts, the sandbox')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => context.io.err(text.replace(/\n$/, '')),
    });
  registerTokenCommand(program, context);
  registerEventCommands(program, context);
  registerAccountCommands(program, context);
  registerSandboxCommands(program, context);
  registerOnboardingUrlCommand(program, context);
  return program;
}

/**
 * Runs one command line; answers what it printed and its exit code. A usage error throws UsageError when
 * `throwUsage` (tests); otherwise every error becomes a message on stderr and its exit code.
 */
export async function runCliWithStatus(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo = new CapturingIo(),
): Promise<{ output: string; code: number }> {
  const capture = io instanceof CapturingIo ? io : new CapturingIo(io);
  const context: CliContext = { env, io: capture, failed: false };
  const program = buildProgram(context);
  const output = () => capture.lines.join('\n');
  try {
    if (!argv.length) {
      program.outputHelp();
      return { output: output(), code: EXIT_USAGE };
    }
    await program.parseAsync(argv, { from: 'user' });
    return { output: output(), code: context.failed ? EXIT_WORK_FAILED : EXIT_OK };
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; bad command lines with 1, which we make 2.
      if (error.exitCode === 0) return { output: output(), code: EXIT_OK };
      throw new UsageError(error.message.replace(/^error: /, ''), true);
    }
    if (error instanceof UsageError || error instanceof ConfigError) throw error;
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      exitCode: EXIT_ERROR,
    });
  }
}

/** Runs one command line and answers what it printed (its result lines); throws on usage errors. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io?: CliIo,
): Promise<string> {
  return (await runCliWithStatus(argv, env, io)).output;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  runCliWithStatus(process.argv.slice(2), process.env, processIo).then(
    ({ code }) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        if (!error.reported) console.error(`${error.message}\n(npm run cli -- --help for usage)`);
        process.exit(EXIT_USAGE);
      }
      if (error instanceof ConfigError) {
        console.error(error.message);
        process.exit(EXIT_USAGE);
      }
      console.error(error instanceof Error ? error.message : error);
      process.exit(EXIT_ERROR);
    },
  );
}
