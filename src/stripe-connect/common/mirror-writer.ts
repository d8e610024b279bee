import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
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
  /**
   * The values are storable already (taken from an event PostgreSQL stored: its jsonb refused NUL and lone
   * surrogates), so the copy that replaces them is skipped.
   */
  storable?: boolean;
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

/** A cached statement of `upsertGuardedMany`: the SQL around the VALUES rows, and the columns they list. */
interface UpsertPlan {
  table: string;
  columns: ColumnMetadata[];
  head: string;
  tail: string;
}

/** Statements are built once per table, column set and guard (TypeORM's query builder costs CPU per call). */
const plans = new WeakMap<EntityMetadata, Map<string, UpsertPlan>>();

function planOf(metadata: EntityMetadata, keys: string[], options: GuardOptions): UpsertPlan {
  let byKey = plans.get(metadata);
  if (!byKey) plans.set(metadata, (byKey = new Map<string, UpsertPlan>()));
  const expressions = options.expressions ?? {};
  const cacheKey = `${keys.join(',')}|${options.fresh ? 1 : 0}|${Object.entries(expressions).flat().join('|')}`;
  const cached = byKey.get(cacheKey);
  if (cached) return cached;
  const table = `"${metadata.tableName}"`;
  const columns = keys.map((key) => {
    const column = metadata.findColumnWithPropertyName(key);
    if (!column) throw new Error(`${metadata.tableName} has no column for ${key}`);
    return column;
  });
  const names = [...new Set(columns.map((column) => column.databaseName))];
  if (names.length !== columns.length)
    throw new Error(`${metadata.tableName}: a column is given twice`);
  const set = names
    .filter((name) => name !== 'id')
    .map((name) => `"${name}" = ${expressions[name] ?? `EXCLUDED."${name}"`}`);
  set.push('"updated_at" = now()');
  const guard = newerThan(`${table}."snapshot_at"`, 'EXCLUDED."snapshot_at"', !!options.fresh);
  const plan: UpsertPlan = {
    table,
    columns,
    head: `INSERT INTO ${table} (${names.map((name) => `"${name}"`).join(', ')}) VALUES `,
    tail: ` ON CONFLICT ("id") DO UPDATE SET ${set.join(', ')} WHERE ${guard} RETURNING "id"`,
  };
  byKey.set(cacheKey, plan);
  return plan;
}

/**
 * The guarded upsert of several rows of one table as one statement (its SQL and parameters), each row
 * dated `at`; `offset`: how many parameters come before them. Rows are written in the order given (lock
 * order: callers sort them) and must not repeat an id.
 */
export function guardedUpsertStatement<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: (Partial<T> & { id: string })[],
  at: Date,
  options: GuardOptions = {},
  offset = 0,
): { sql: string; parameters: unknown[] } {
  return datedUpsertStatement(
    manager,
    entity,
    rows.map((values) => ({ values, at })),
    options,
    offset,
  );
}

/** `guardedUpsertStatement` with a Stripe time per row (rows of several events written together). */
export function datedUpsertStatement<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: { values: Partial<T> & { id: string }; at: Date }[],
  options: GuardOptions = {},
  offset = 0,
): { sql: string; parameters: unknown[] } {
  const metadata = manager.connection.getMetadata(entity);
  // Whatever Stripe sent, the rows must be storable: NUL and lone surrogates become U+FFFD.
  const dated: Record<string, unknown>[] = rows.map(({ values, at }) => ({
    ...(options.storable ? values : storableText(values)),
    snapshotAt: at,
  }));
  const keys = [
    ...new Set(dated.flatMap((row) => Object.keys(row).filter((key) => row[key] !== undefined))),
  ];
  const plan = planOf(metadata, keys, options);
  const driver = manager.connection.driver;
  const parameters: unknown[] = [];
  const tuples = dated.map((row) => {
    const placeholders = plan.columns.map((column, index) => {
      const value = row[keys[index]];
      if (value === undefined) return 'DEFAULT';
      parameters.push(driver.preparePersistentValue(value, column));
      return `$${offset + parameters.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  return { sql: `${plan.head}${tuples.join(', ')}${plan.tail}`, parameters };
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
  values: Partial<T> & { id: string },
  at: Date,
  options: GuardOptions = {},
): Promise<WriteOutcome> {
  const { sql, parameters } = guardedUpsertStatement(manager, entity, [values], at, options);
  const result: unknown = await manager.query(sql, parameters);
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

/**
 * `upsertGuarded` of several rows of one table in one statement, each with its own Stripe time (rows of
 * several events written in one transaction); ids must not repeat and come in lock order. The rows left
 * alone are told apart (`newer`, `tie`, `absent`) by one more read, only when there are any.
 */
export async function upsertGuardedMany<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: { values: Partial<T> & { id: string }; at: Date }[],
  options: GuardOptions = {},
): Promise<WriteOutcome[]> {
  if (!rows.length) return [];
  // Rows that give different columns go in statements of their own: a column one row leaves out must not be
  // written as its default into another row's conflict update.
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = Object.keys(row.values)
      .filter((name) => row.values[name] !== undefined)
      .sort()
      .join(',');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const written = new Set<string>();
  for (const group of groups.values()) {
    const { sql, parameters } = datedUpsertStatement(manager, entity, group, options, 0);
    for (const row of rowsOf<{ id: string }>(await manager.query(sql, parameters)))
      written.add(row.id);
  }
  const left = rows.filter((row) => !written.has(row.values.id));
  const held = new Map<string, Date | null>();
  if (left.length) {
    const table = manager.connection.getMetadata(entity).tableName;
    const current = rowsOf<{ id: string; at: Date | string | null }>(
      await manager.query(
        `SELECT "id", "snapshot_at" AS "at" FROM "${table}" WHERE "id" = ANY($1::text[])`,
        [left.map((row) => row.values.id)],
      ),
    );
    for (const row of current) held.set(row.id, row.at ? new Date(row.at) : null);
  }
  return rows.map(({ values, at }) =>
    written.has(values.id) ? 'written' : settleOutcome(held.get(values.id) ?? null, at),
  );
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
  const table = manager.connection.getMetadata(entity).tableName;
  const rows = rowsOf<{ at: Date | string | null }>(
    await manager.query(`SELECT "snapshot_at" AS "at" FROM "${table}" WHERE "id" = $1`, [id]),
  );
  return rows[0]?.at ? new Date(rows[0].at) : null;
}
