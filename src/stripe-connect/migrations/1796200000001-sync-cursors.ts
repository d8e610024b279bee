import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a backfill (`accounts:sync`) stands, so an interrupted run resumes. */
export class SyncCursors1796200000001 implements MigrationInterface {
  name = 'SyncCursors1796200000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stripe_sync_cursors" (
                "name" character varying(64) NOT NULL,
                "cursor" character varying(255),
                "synced" integer NOT NULL DEFAULT '0',
                "started_at" TIMESTAMP WITH TIME ZONE,
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_stripe_sync_cursors_name" PRIMARY KEY ("name")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "stripe_sync_cursors"
        `);
  }
}
