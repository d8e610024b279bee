import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Single-use states of the OAuth flow. */
export class UsedStates1795843867596 implements MigrationInterface {
  name = 'UsedStates1795843867596';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stripe_used_states" (
                "nonce" character varying(64) NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_95897e07bd066e58e10fcb56a55" PRIMARY KEY ("nonce")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "stripe_used_states"
        `);
  }
}
