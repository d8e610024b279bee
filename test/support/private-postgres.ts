/**
 * A PostgreSQL server of a test's own, under /tmp, run as the `postgres` user on a spare port: tests that
 * stop, kill or restart the database (never the shared server) and tests of several app instances on one
 * PostgreSQL, whatever database the rest of the run uses.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrate } from './test-database.js';

const run = promisify(execFile);

async function binaries(): Promise<string> {
  const { stdout } = await run('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1']);
  return stdout.trim();
}

async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface PrivatePostgres {
  /** The `postgres` database of this server (migrated). */
  url: string;
  /** Stops the server at once (as a crash would: `-m immediate`) and starts it again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** How many times the server has reported a deadlock (its log's `deadlock detected`), since it started. */
  deadlocks(): Promise<number>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binaries();
  const dir = await mkdtemp(join(tmpdir(), 'nsc-pg-'));
  const data = join(dir, 'data');
  const { uid, gid } = await postgresIds();
  await chown(dir, uid, gid);
  await chmod(dir, 0o700);
  const port = await sparePort();
  const asPostgres = (command: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  const stopNow = () => asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await migrate({ kind: 'postgres', url });
  return {
    url,
    restart: async () => {
      await stopNow();
      await start();
    },
    deadlocks: async () =>
      (await readFile(join(dir, 'server.log'), 'utf8')).split('ERROR:  deadlock detected').length -
      1,
    stop: async () => {
      await stopNow().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
