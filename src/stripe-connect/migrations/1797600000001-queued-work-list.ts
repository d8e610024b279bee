import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Queued mode: the stored events still to sync are the workers' work list, claimed oldest first; this index
 * holds only them (it stays as small as the backlog whatever the number of events kept).
 */
export class QueuedWorkList1797600000001 implements MigrationInterface {
  name = 'QueuedWorkList1797600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_events_to_sync" ON "stripe_events" ("received_at", "id")
            WHERE "status" = 'pending' AND "synced_at" IS NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_events_to_sync"
        `);
  }
}
