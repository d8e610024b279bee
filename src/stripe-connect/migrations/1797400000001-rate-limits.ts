import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The rate limits' counters, in the database so that every instance shares them. */
export class RateLimits1797400000001 implements MigrationInterface {
  name = 'RateLimits1797400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stripe_rate_limits" (
                "key" character varying(255) NOT NULL,
                "hits" integer NOT NULL,
                "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "blocked_until" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_stripe_rate_limits_key" PRIMARY KEY ("key")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "stripe_rate_limits"
        `);
  }
}
