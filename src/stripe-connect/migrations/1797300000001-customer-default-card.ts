import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A customer's saved card: its default payment method, and the card's brand, last 4 and expiry. */
export class CustomerDefaultCard1797300000001 implements MigrationInterface {
  name = 'CustomerDefaultCard1797300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_customers"
            ADD "default_payment_method_id" character varying(255)
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_customers"
            ADD "default_card" jsonb
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_customers" DROP COLUMN "default_card"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_customers" DROP COLUMN "default_payment_method_id"
        `);
  }
}
