import type { CliIo } from './cli-io.js';

/** What every command gets: the environment it reads its configuration from, and where it writes. */
export interface CliContext {
  env: Record<string, string | undefined>;
  io: CliIo;
  /** Set by a command whose work partly failed (exit code 1). */
  failed: boolean;
}
