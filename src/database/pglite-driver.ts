/**
 * A `pg`-compatible driver over PGlite, for TypeORM's `postgres` driver (`driver` option).
 *
 * PGlite is one PostgreSQL backend with one session. TypeORM borrows a connection from the pool for each
 * query, and holds it for the length of a transaction. This pool has exactly one connection and hands it to
 * one holder at a time, first come first served: a transaction therefore never interleaves with another
 * caller's statements, and a rolled-back write stays rolled back. (The published `typeorm-pglite` hands the
 * shared session to every caller at once, which is what this replaces.)
 *
 * Code running inside a transaction must use that transaction's EntityManager: asking the pool for a second
 * connection while holding the first waits forever, as it would on a one-connection pool of real PostgreSQL.
 */
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { PGlite, types, type Results } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';

export interface PgliteDriverOptions {
  /** Folder holding the database files; created (with its parents) when missing. */
  dataDir: string;
}

type QueryCallback = (err: Error | null, result?: PgQueryResult) => void;

interface PgQueryResult {
  command: string;
  rowCount: number;
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
}

const TRANSACTION_START = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const TRANSACTION_END = /^\s*(COMMIT|END|ROLLBACK)\s*(;?\s*)$/i;

/** Values come back as `pg` returns them, so both databases share one code path. */
const PG_COMPATIBLE_PARSERS = {
  [types.INT8]: (value: string) => value,
  [types.NUMERIC]: (value: string) => value,
};

/** Opens (creating if needed) a PGlite database with the extensions the migrations use. */
export async function openPglite(dataDir: string): Promise<PGlite> {
  await mkdir(dataDir, { recursive: true });
  return PGlite.create(dataDir, { extensions: { pgcrypto }, parsers: PG_COMPATIBLE_PARSERS });
}

/** The one session, wrapped as a `pg` client. */
class PgliteClient extends EventEmitter {
  inTransaction = false;

  constructor(private readonly db: PGlite) {
    super();
  }

  query(text: string, callback: QueryCallback): void;
  query(text: string, params?: unknown[]): Promise<PgQueryResult>;
  query(text: string, params: unknown[] | undefined, callback: QueryCallback): void;
  query(
    text: string,
    paramsOrCallback?: unknown[] | QueryCallback,
    maybeCallback?: QueryCallback,
  ): Promise<PgQueryResult> | void {
    const callback = typeof paramsOrCallback === 'function' ? paramsOrCallback : maybeCallback;
    const params = typeof paramsOrCallback === 'function' ? undefined : paramsOrCallback;
    const result = this.run(text, params);
    if (!callback) return result;
    result.then(
      (value) => callback(null, value),
      (error: Error) => callback(error),
    );
  }

  private async run(text: string, params?: unknown[]): Promise<PgQueryResult> {
    const result: Results<Record<string, unknown>> = await this.db.query(text, params ?? []);
    if (TRANSACTION_START.test(text)) this.inTransaction = true;
    else if (TRANSACTION_END.test(text)) this.inTransaction = false;
    return {
      command: result.command ?? firstKeyword(text),
      rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
      rows: result.rows,
      fields: result.fields,
    };
  }
}

function firstKeyword(sql: string): string {
  return (/^\s*([A-Za-z]+)/.exec(sql)?.[1] ?? '').toUpperCase();
}

type ConnectCallback = (
  err: Error | undefined,
  client?: PgliteClient,
  release?: (err?: unknown) => void,
) => void;

/** A pool of exactly one connection, lent to one holder at a time in arrival order. */
export class PglitePool extends EventEmitter {
  private db?: Promise<PGlite>;
  private client?: PgliteClient;
  private held = false;
  private readonly waiting: (() => void)[] = [];
  private ended = false;

  constructor(private readonly options: PgliteDriverOptions) {
    super();
  }

  connect(): Promise<PgliteClient & { release: (err?: unknown) => void }>;
  connect(callback: ConnectCallback): void;
  connect(callback?: ConnectCallback): Promise<PgliteClient & { release: () => void }> | void {
    const lease = this.acquire();
    if (!callback) return lease.then(([client, release]) => Object.assign(client, { release }));
    lease.then(
      ([client, release]) => callback(undefined, client, release),
      (error: Error) => callback(error),
    );
  }

  /** Runs one query on its own lease, as `pg`'s `Pool#query` does. */
  async query(text: string, params?: unknown[]): Promise<PgQueryResult> {
    const [client, release] = await this.acquire();
    try {
      return await client.query(text, params);
    } finally {
      release();
    }
  }

  end(callback?: (err?: Error) => void): Promise<void> | void {
    const done = this.close();
    if (!callback) return done;
    done.then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  private async close(): Promise<void> {
    this.ended = true;
    if (!this.db) return;
    const db = await this.db;
    // Wait for the current holder and everyone queued before the end, then close the files cleanly.
    const [, release] = await this.acquire(true);
    try {
      if (!db.closed) await db.close();
    } finally {
      release();
    }
  }

  private async acquire(closing = false): Promise<[PgliteClient, (err?: unknown) => void]> {
    if (this.ended && !closing) throw new Error('The PGlite pool has been closed');
    this.db ??= openPglite(this.options.dataDir);
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.held = true;
    let client: PgliteClient;
    try {
      const db = await this.db;
      client = this.client ??= new PgliteClient(db);
    } catch (error) {
      this.handOver();
      throw error;
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (client.inTransaction) {
        // A holder that lets go mid-transaction must not leave its writes to the next holder.
        client.inTransaction = false;
        client.query('ROLLBACK').then(
          () => this.handOver(),
          (error: Error) => {
            this.emit('error', error);
            this.handOver();
          },
        );
        return;
      }
      this.handOver();
    };
    return [client, release];
  }

  private handOver(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/** The object TypeORM's postgres driver takes as its `driver` option. */
export function createPgliteDriver(options: PgliteDriverOptions): { Pool: new () => PglitePool } {
  return {
    Pool: class extends PglitePool {
      constructor() {
        super(options);
      }
    },
  };
}
