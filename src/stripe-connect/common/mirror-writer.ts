import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Writes a mirrored object fetched or answered by Stripe outside the webhook path, unless the row already
 * holds a newer snapshot (a webhook landed first with a later state). Returns whether it wrote.
 */
export async function saveUnlessNewer<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  values: Partial<T> & { id: string },
  snapshotAt: Date,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const current = await manager
      .createQueryBuilder(entity, 't')
      .select('t.snapshotAt', 'snapshotAt')
      .where('t.id = :id', { id: values.id })
      .setLock('pessimistic_write')
      .getRawOne<{ snapshotAt: Date | string | null }>();
    if (current?.snapshotAt && new Date(current.snapshotAt).getTime() > snapshotAt.getTime())
      return false;
    await manager.upsert(entity, { ...values, snapshotAt }, { conflictPaths: ['id'] });
    return true;
  });
}
