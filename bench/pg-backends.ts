/**
 * CPU spent by the PostgreSQL backends serving one database, read from `/proc/<pid>/stat` (utime + stime)
 * when the server runs on this machine. Backends that exit during the window are not counted (the servers'
 * pools keep theirs open while the load runs).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in milliseconds, or null when it is not a local postgres process. */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (!stat.includes('(postgres)')) return null;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), counted after the command name: indexes 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export class BackendCpu {
  private constructor(
    private readonly adminUrl: string,
    private readonly database: string,
    private readonly before: Map<number, number>,
  ) {}

  private static async pids(adminUrl: string, database: string): Promise<number[]> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      return rows.map((row) => row.pid);
    } finally {
      await client.end();
    }
  }

  private static async sample(adminUrl: string, database: string): Promise<Map<number, number>> {
    const sample = new Map<number, number>();
    for (const pid of await BackendCpu.pids(adminUrl, database)) {
      const ms = cpuMsOf(pid);
      if (ms !== null) sample.set(pid, ms);
    }
    return sample;
  }

  /** Starts a window; null when the server's backends are not visible here (a remote server). */
  static async start(adminUrl: string, database: string): Promise<BackendCpu | null> {
    const host = new URL(adminUrl).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host)) return null;
    const before = await BackendCpu.sample(adminUrl, database);
    if (before.size === 0) return null;
    return new BackendCpu(adminUrl, database, before);
  }

  /** Milliseconds of CPU the database's backends used since the start. */
  async elapsedMs(): Promise<number> {
    const after = await BackendCpu.sample(this.adminUrl, this.database);
    let total = 0;
    for (const [pid, ms] of after) total += ms - (this.before.get(pid) ?? 0);
    return total;
  }
}
