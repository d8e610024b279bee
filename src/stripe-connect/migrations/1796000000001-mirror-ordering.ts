import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every mirrored write carries its own Stripe time: tombstones for deleted external accounts and persons,
 * times of capabilities, of the authorization and of the Charge object's amounts; the owner of a claim.
 */
export class MirrorOrdering1796000000001 implements MigrationInterface {
  name = 'MirrorOrdering1796000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "stripe_external_accounts" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "stripe_persons" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "stripe_accounts" ADD "capabilities_at" jsonb NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "stripe_accounts" ADD "authorized_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "stripe_charges" ADD "charge_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "stripe_events" ADD "processing_owner" character varying(64)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stripe_events" DROP COLUMN "processing_owner"`);
    await queryRunner.query(`ALTER TABLE "stripe_charges" DROP COLUMN "charge_at"`);
    await queryRunner.query(`ALTER TABLE "stripe_accounts" DROP COLUMN "authorized_at"`);
    await queryRunner.query(`ALTER TABLE "stripe_accounts" DROP COLUMN "capabilities_at"`);
    await queryRunner.query(`ALTER TABLE "stripe_persons" DROP COLUMN "deleted_at"`);
    await queryRunner.query(`ALTER TABLE "stripe_external_accounts" DROP COLUMN "deleted_at"`);
  }
}
