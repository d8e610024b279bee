import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook processing: the lease of a delivery, the sync time of an event, the dispute flag of a charge. */
export class WebhookProcessing1795841840960 implements MigrationInterface {
  name = 'WebhookProcessing1795841840960';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_charges"
            ADD "disputed" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_events"
            ADD "synced_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_events"
            ADD "processing_started_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_events" DROP COLUMN "processing_started_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_events" DROP COLUMN "synced_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_charges" DROP COLUMN "disputed"
        `);
  }
}
