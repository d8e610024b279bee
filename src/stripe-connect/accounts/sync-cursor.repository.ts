import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SyncCursor } from './sync-cursor.entity.js';

/** The queries of backfill cursors. */
@Injectable()
export class SyncCursorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(name: string): Promise<SyncCursor | null> {
    return this.dataSource.getRepository(SyncCursor).findOneBy({ name });
  }

  /** A run starts (from the beginning): its count reset, its cursor cleared. */
  async start(name: string): Promise<void> {
    await this.dataSource
      .getRepository(SyncCursor)
      .upsert(
        { name, cursor: null, synced: 0, startedAt: new Date(), completedAt: null },
        { conflictPaths: ['name'] },
      );
  }

  /** A page is fully written: the run resumes after `cursor` (in the page's transaction, when given). */
  async advance(
    name: string,
    cursor: string,
    synced: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(SyncCursor).update({ name }, { cursor, synced });
  }

  async complete(name: string, synced: number): Promise<void> {
    await this.dataSource
      .getRepository(SyncCursor)
      .update({ name }, { cursor: null, synced, completedAt: new Date() });
  }
}
