import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Queued mode: the listeners an event still waits for (each runs and is retried as its own job). */
export class QueuedListeners1797100000001 implements MigrationInterface {
  name = 'QueuedListeners1797100000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_events" ADD "pending_listeners" text array
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_events" DROP COLUMN "pending_listeners"
        `);
  }
}
