import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts or updates a mirrored row in one statement, and only when the row holds no newer snapshot:
 * `INSERT … ON CONFLICT (id) DO UPDATE … WHERE snapshot_at IS NULL OR snapshot_at <= EXCLUDED.snapshot_at`.
 * Two writers racing on a row that does not exist yet cannot leave the older snapshot behind.
 * Only the columns given are written (an owner column left out is never touched).
 */
export async function upsertSnapshot<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: Partial<T> & { id: string },
): Promise<void> {
  const metadata = manager.connection.getMetadata(entity);
  const table = metadata.tableName;
  const columns = Object.keys(values)
    .filter((key) => key !== 'id' && values[key] !== undefined)
    .map((key) => metadata.findColumnWithPropertyName(key)?.databaseName)
    .filter((name): name is string => !!name);
  columns.push('updated_at');
  await manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(values)
    .orUpdate([...new Set(columns)], ['id'], {
      overwriteCondition: {
        where: `"${table}"."snapshot_at" IS NULL OR "${table}"."snapshot_at" <= EXCLUDED."snapshot_at"`,
      },
    })
    .execute();
}

/**
 * `upsertSnapshot` for many rows of one table in one statement (a backfill's page), with the same guard on
 * each row: a row holding a newer snapshot keeps it.
 */
export async function upsertSnapshots<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: (Partial<T> & { id: string })[],
): Promise<void> {
  if (!rows.length) return;
  const metadata = manager.connection.getMetadata(entity);
  const table = metadata.tableName;
  const keys = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row)) if (key !== 'id' && row[key] !== undefined) keys.add(key);
  const columns = [...keys]
    .map((key) => metadata.findColumnWithPropertyName(key)?.databaseName)
    .filter((name): name is string => !!name);
  columns.push('updated_at');
  await manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows)
    .orUpdate([...new Set(columns)], ['id'], {
      overwriteCondition: {
        where: `"${table}"."snapshot_at" IS NULL OR "${table}"."snapshot_at" <= EXCLUDED."snapshot_at"`,
      },
    })
    .updateEntity(false)
    .execute();
}

/**
 * Serializes, until the transaction ends, every writer of one Stripe object, whether or not its row exists
 * yet (a transaction-scoped advisory lock on the id): the read-compare-write of the ordering guard cannot
 * interleave with another's.
 */
export async function lockStripeObject(manager: EntityManager, id: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [id]);
}

/** The snapshot time a mirrored row holds (null when absent or never dated). */
export async function snapshotOf(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  id: string,
): Promise<Date | null> {
  const row = await manager
    .createQueryBuilder(entity, 't')
    .select('t.snapshotAt', 'snapshotAt')
    .where('t.id = :id', { id })
    .getRawOne<{ snapshotAt: Date | string | null }>();
  return row?.snapshotAt ? new Date(row.snapshotAt) : null;
}

/**
 * Writes a mirrored object fetched or answered by Stripe outside the webhook path, dated `snapshotAt`,
 * unless the row already holds a newer snapshot.
 */
export async function saveUnlessNewer<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  values: Partial<T> & { id: string },
  snapshotAt: Date,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await lockStripeObject(manager, values.id);
    const current = await snapshotOf(manager, entity, values.id);
    if (current && current.getTime() > snapshotAt.getTime()) return;
    await upsertSnapshot(manager, entity, { ...values, snapshotAt });
  });
}
