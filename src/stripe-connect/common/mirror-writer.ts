import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { storableText } from './postgres-text.js';

/**
 * What a guarded write did: `written`; `newer` (the row holds a newer state, left alone); `tie` (the row holds
 * a state of the same Stripe second, left alone: the caller settles it by re-fetching); `absent` (a partial
 * change to a row the mirror does not hold).
 */
export type WriteOutcome = 'written' | 'newer' | 'tie' | 'absent';

export interface GuardOptions {
  /**
   * The state is Stripe's current one (a re-fetch, or an API answer that is not a replay): it wins a tie.
   * A state carried by an event loses a tie (the caller re-fetches).
   */
  fresh?: boolean;
  /** Column (database name) → the SQL expression that replaces `EXCLUDED."column"` in the update. */
  expressions?: Record<string, string>;
}

/** The rows a `manager.query` answered, for INSERT … RETURNING and UPDATE … RETURNING alike. */
export function rowsOf<T>(result: unknown): T[] {
  if (!Array.isArray(result)) return [];
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** The guard of every mirrored write: the row holds no state, or an older one (or the same second, when fresh). */
export function newerThan(current: string, incoming: string, fresh: boolean): string {
  return `(${current} IS NULL OR ${current} ${fresh ? '<=' : '<'} ${incoming})`;
}

/**
 * The one write of a mirrored Stripe object: `INSERT … ON CONFLICT (id) DO UPDATE … WHERE` the row's
 * `snapshot_at` is older than `at` (the guard is inside the statement: two writers racing on a row, existing
 * or not, cannot leave the older state behind, and no lock is held beyond the row's). Only the columns given
 * are written (an owner column left out is never touched); `at` becomes the row's snapshot time.
 */
export async function upsertGuarded<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  given: Partial<T> & { id: string },
  at: Date,
  options: GuardOptions = {},
): Promise<WriteOutcome> {
  // Whatever Stripe sent, the row must be storable: NUL and lone surrogates become U+FFFD.
  const values = storableText(given);
  const metadata = manager.connection.getMetadata(entity);
  const table = `"${metadata.tableName}"`;
  const row = { ...values, snapshotAt: at } as Partial<T> & { id: string };
  const [insert, parameters] = manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(row)
    .updateEntity(false)
    .getQueryAndParameters();
  const columns = Object.keys(row)
    .filter((key) => key !== 'id' && row[key] !== undefined)
    .map((key) => metadata.findColumnWithPropertyName(key)?.databaseName)
    .filter((name): name is string => !!name);
  const set = [...new Set(columns)].map(
    (column) => `"${column}" = ${options.expressions?.[column] ?? `EXCLUDED."${column}"`}`,
  );
  set.push('"updated_at" = now()');
  const guard = newerThan(`${table}."snapshot_at"`, 'EXCLUDED."snapshot_at"', !!options.fresh);
  const result: unknown = await manager.query(
    `${insert} ON CONFLICT ("id") DO UPDATE SET ${set.join(', ')} WHERE ${guard} RETURNING "id"`,
    parameters,
  );
  if (rowsOf(result).length) return 'written';
  return settleOutcome(await snapshotOf(manager, entity, values.id), at);
}

/**
 * A partial change guarded by its own time column: `UPDATE … SET … WHERE id AND <timeColumn> older`.
 * `set` holds SQL expressions over `$1` (the id), `$2` (`at`) and the parameters that follow.
 */
export async function updateGuarded(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  id: string,
  at: Date,
  change: { set: string[]; parameters?: unknown[]; timeColumn: string; fresh?: boolean },
): Promise<WriteOutcome> {
  const metadata = manager.connection.getMetadata(entity);
  const table = `"${metadata.tableName}"`;
  const time = `${table}."${change.timeColumn}"`;
  const result: unknown = await manager.query(
    `UPDATE ${table} SET ${[...change.set, '"updated_at" = now()'].join(', ')}
     WHERE ${table}."id" = $1 AND ${newerThan(time, '$2::timestamptz', !!change.fresh)}
     RETURNING ${table}."id"`,
    [id, at, ...(change.parameters ?? [])],
  );
  if (rowsOf(result).length) return 'written';
  const current = rowsOf<{ at: Date | string | null }>(
    await manager.query(`SELECT ${time} AS "at" FROM ${table} WHERE "id" = $1`, [id]),
  );
  if (!current.length) return 'absent';
  return settleOutcome(current[0].at ? new Date(current[0].at) : null, at);
}

function settleOutcome(current: Date | null, at: Date): WriteOutcome {
  if (current && current.getTime() === at.getTime()) return 'tie';
  return current ? 'newer' : 'absent';
}

/** The snapshot time a mirrored row holds (null when absent or never dated), deleted rows included. */
export async function snapshotOf(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  id: string,
): Promise<Date | null> {
  const row = await manager
    .createQueryBuilder(entity, 't')
    .withDeleted()
    .select('t.snapshotAt', 'snapshotAt')
    .where('t.id = :id', { id })
    .getRawOne<{ snapshotAt: Date | string | null }>();
  return row?.snapshotAt ? new Date(row.snapshotAt) : null;
}
