import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates every table of the library (DESIGN.md section 5). */
export class Initial1795840076326 implements MigrationInterface {
  name = 'Initial1795840076326';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stripe_accounts" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "type" character varying(16) NOT NULL,
                "user_id" character varying(255),
                "country" character varying(2),
                "default_currency" character varying(3),
                "email" character varying(255),
                "business_type" character varying(32),
                "business_profile" jsonb NOT NULL DEFAULT '{}',
                "charges_enabled" boolean NOT NULL DEFAULT false,
                "payouts_enabled" boolean NOT NULL DEFAULT false,
                "details_submitted" boolean NOT NULL DEFAULT false,
                "requirements" jsonb NOT NULL DEFAULT '{}',
                "future_requirements" jsonb NOT NULL DEFAULT '{}',
                "verification_due_by" TIMESTAMP WITH TIME ZONE,
                "verification_fields_needed" jsonb NOT NULL DEFAULT '[]',
                "disabled_reason" character varying(64),
                "capabilities" jsonb NOT NULL DEFAULT '{}',
                "tos_acceptance" jsonb NOT NULL DEFAULT '{}',
                "metadata" jsonb NOT NULL DEFAULT '{}',
                "authorized" boolean NOT NULL DEFAULT true,
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_e2022498b81a00e4c9e5b00f418" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_accounts_user_id" ON "stripe_accounts" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_accounts_verification_due_by" ON "stripe_accounts" ("verification_due_by")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_external_accounts" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255) NOT NULL,
                "object" character varying(16) NOT NULL,
                "bank_name" character varying(255),
                "last4" character varying(4),
                "country" character varying(2),
                "currency" character varying(3),
                "default_for_currency" boolean NOT NULL DEFAULT false,
                "status" character varying(32),
                "fingerprint" character varying(255),
                CONSTRAINT "PK_fa26d76811e8a86c6c9f6c410ae" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_external_accounts_account_id" ON "stripe_external_accounts" ("account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_persons" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255) NOT NULL,
                "first_name" character varying(255),
                "last_name" character varying(255),
                "email" character varying(255),
                "relationship" jsonb NOT NULL DEFAULT '{}',
                "requirements" jsonb NOT NULL DEFAULT '{}',
                "verification_status" character varying(32),
                CONSTRAINT "PK_52f1b2d64cb8850e67fc432d45b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_persons_account_id" ON "stripe_persons" ("account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_charges" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255),
                "destination_account_id" character varying(255),
                "customer_id" character varying(255),
                "amount" integer NOT NULL,
                "currency" character varying(3) NOT NULL,
                "status" character varying(32) NOT NULL,
                "capture_method" character varying(16) NOT NULL DEFAULT 'automatic',
                "amount_captured" integer NOT NULL DEFAULT '0',
                "amount_refunded" integer NOT NULL DEFAULT '0',
                "application_fee_amount" integer,
                "transfer_group" character varying(255),
                "on_behalf_of" character varying(255),
                "latest_charge_id" character varying(255),
                "last_payment_error" jsonb,
                CONSTRAINT "PK_2f55a151dc51e09741f544166b0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_charges_customer_id" ON "stripe_charges" ("customer_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_charges_transfer_group" ON "stripe_charges" ("transfer_group")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_charges_latest_charge_id" ON "stripe_charges" ("latest_charge_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_charges_destination_account_id" ON "stripe_charges" ("destination_account_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_charges_account_id" ON "stripe_charges" ("account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_application_fees" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255),
                "payment_intent_id" character varying(255),
                "charge_object_id" character varying(255),
                "amount" integer NOT NULL,
                "amount_refunded" integer NOT NULL DEFAULT '0',
                "currency" character varying(3) NOT NULL,
                "refunded" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_04f94605d0e3a90a81699dee4d9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_application_fees_payment_intent_id" ON "stripe_application_fees" ("payment_intent_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_application_fees_account_id" ON "stripe_application_fees" ("account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_refunds" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255),
                "payment_intent_id" character varying(255),
                "charge_object_id" character varying(255),
                "amount" integer NOT NULL,
                "currency" character varying(3) NOT NULL,
                "status" character varying(32) NOT NULL,
                "reason" character varying(64),
                "failure_reason" character varying(64),
                CONSTRAINT "PK_555aeddb80a1dc91e01c72fc0ac" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_refunds_account_id" ON "stripe_refunds" ("account_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_refunds_payment_intent_id" ON "stripe_refunds" ("payment_intent_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_customers" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255),
                "user_id" character varying(255),
                "email" character varying(255),
                "currency" character varying(3),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "uq_stripe_customers_id_account_id" UNIQUE ("id", "account_id"),
                CONSTRAINT "PK_04d1cce981fe2fc3688e52bf2b6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_customers_account_id" ON "stripe_customers" ("account_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_stripe_customers_platform_user_id" ON "stripe_customers" ("user_id")
            WHERE "account_id" IS NULL
                AND "user_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_user_accounts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" character varying(255) NOT NULL,
                "account_id" character varying(255) NOT NULL,
                "customer_id" character varying(255) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_stripe_user_accounts_customer_id" UNIQUE ("customer_id"),
                CONSTRAINT "uq_stripe_user_accounts_user_id_account_id" UNIQUE ("user_id", "account_id"),
                CONSTRAINT "PK_f87352bd1741b4163d478efa1ed" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_user_accounts_account_id" ON "stripe_user_accounts" ("account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_payouts" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "account_id" character varying(255),
                "amount" integer NOT NULL,
                "currency" character varying(3) NOT NULL,
                "status" character varying(16) NOT NULL,
                "failure_code" character varying(64),
                "failure_message" text,
                "arrival_date" TIMESTAMP WITH TIME ZONE,
                "destination_id" character varying(255),
                "method" character varying(16) NOT NULL DEFAULT 'standard',
                "automatic" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_3e7468b95c918f76cf0df804134" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_payouts_status" ON "stripe_payouts" ("status")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_payouts_account_id" ON "stripe_payouts" ("account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_transfers" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "destination_account_id" character varying(255) NOT NULL,
                "amount" integer NOT NULL,
                "amount_reversed" integer NOT NULL DEFAULT '0',
                "currency" character varying(3) NOT NULL,
                "reversed" boolean NOT NULL DEFAULT false,
                "transfer_group" character varying(255),
                "source_transaction" character varying(255),
                "destination_payment_id" character varying(255),
                CONSTRAINT "PK_7c1e520652a10c09a6861bb457d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_transfers_transfer_group" ON "stripe_transfers" ("transfer_group")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_transfers_destination_account_id" ON "stripe_transfers" ("destination_account_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_transfer_reversals" (
                "id" character varying(255) NOT NULL,
                "livemode" boolean NOT NULL DEFAULT false,
                "raw" jsonb NOT NULL DEFAULT '{}',
                "snapshot_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "transfer_id" character varying(255) NOT NULL,
                "amount" integer NOT NULL,
                "currency" character varying(3) NOT NULL,
                CONSTRAINT "PK_b0427fb13edc519255772027a7f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_transfer_reversals_transfer_id" ON "stripe_transfer_reversals" ("transfer_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_events" (
                "id" character varying(255) NOT NULL,
                "type" character varying(128) NOT NULL,
                "account_id" character varying(255),
                "livemode" boolean NOT NULL DEFAULT false,
                "api_version" character varying(64),
                "stripe_created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "payload" jsonb NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "chk_stripe_events_status" CHECK ("status" IN ('pending', 'processed', 'failed')),
                CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_events_received_at" ON "stripe_events" ("received_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_events_status" ON "stripe_events" ("status")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_events_account_id" ON "stripe_events" ("account_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_events_type" ON "stripe_events" ("type")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_event_processing_errors" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_id" character varying(255) NOT NULL,
                "attempt" integer NOT NULL,
                "message" text NOT NULL,
                "stack" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_bb37f5c5c1f57541e3ac18637fa" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_stripe_event_processing_errors_event_id" ON "stripe_event_processing_errors" ("event_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_external_accounts"
            ADD CONSTRAINT "FK_26983c7d992d42d20f5967151a9" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_persons"
            ADD CONSTRAINT "FK_f58f7658e6c18d47e6ba9bb6dc7" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_charges"
            ADD CONSTRAINT "FK_7851ded00548ff3f939bba3ee6d" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_charges"
            ADD CONSTRAINT "FK_7201edd49f7cb2cdccff6aa9f7f" FOREIGN KEY ("destination_account_id") REFERENCES "stripe_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_application_fees"
            ADD CONSTRAINT "FK_d41a1b7e64f1bb939416547cd22" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_application_fees"
            ADD CONSTRAINT "FK_6a2b9cb023c2d9399b25eb4c5f7" FOREIGN KEY ("payment_intent_id") REFERENCES "stripe_charges"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_refunds"
            ADD CONSTRAINT "FK_b535ca4223a8ac19730bf59ea93" FOREIGN KEY ("payment_intent_id") REFERENCES "stripe_charges"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_customers"
            ADD CONSTRAINT "FK_766f8e4232c61e29f19d7ae18e8" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_user_accounts"
            ADD CONSTRAINT "FK_bdbecb7f2839c4ca1bbb6fdc260" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_user_accounts"
            ADD CONSTRAINT "FK_925d185f2b8e8da6e59021a6516" FOREIGN KEY ("customer_id", "account_id") REFERENCES "stripe_customers"("id", "account_id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_payouts"
            ADD CONSTRAINT "FK_177af60984d23751699b4c31f7c" FOREIGN KEY ("account_id") REFERENCES "stripe_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_transfers"
            ADD CONSTRAINT "FK_267f89fe0cadef6dcba4e699bec" FOREIGN KEY ("destination_account_id") REFERENCES "stripe_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_transfer_reversals"
            ADD CONSTRAINT "FK_43b3528478a4199d92fa5326a1c" FOREIGN KEY ("transfer_id") REFERENCES "stripe_transfers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_event_processing_errors"
            ADD CONSTRAINT "FK_3793d559fc5819cb1d48da48ff2" FOREIGN KEY ("event_id") REFERENCES "stripe_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_event_processing_errors" DROP CONSTRAINT "FK_3793d559fc5819cb1d48da48ff2"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_transfer_reversals" DROP CONSTRAINT "FK_43b3528478a4199d92fa5326a1c"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_transfers" DROP CONSTRAINT "FK_267f89fe0cadef6dcba4e699bec"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_payouts" DROP CONSTRAINT "FK_177af60984d23751699b4c31f7c"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_user_accounts" DROP CONSTRAINT "FK_925d185f2b8e8da6e59021a6516"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_user_accounts" DROP CONSTRAINT "FK_bdbecb7f2839c4ca1bbb6fdc260"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_customers" DROP CONSTRAINT "FK_766f8e4232c61e29f19d7ae18e8"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_refunds" DROP CONSTRAINT "FK_b535ca4223a8ac19730bf59ea93"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_application_fees" DROP CONSTRAINT "FK_6a2b9cb023c2d9399b25eb4c5f7"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_application_fees" DROP CONSTRAINT "FK_d41a1b7e64f1bb939416547cd22"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_charges" DROP CONSTRAINT "FK_7201edd49f7cb2cdccff6aa9f7f"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_charges" DROP CONSTRAINT "FK_7851ded00548ff3f939bba3ee6d"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_persons" DROP CONSTRAINT "FK_f58f7658e6c18d47e6ba9bb6dc7"
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_external_accounts" DROP CONSTRAINT "FK_26983c7d992d42d20f5967151a9"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_event_processing_errors_event_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_event_processing_errors"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_events_type"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_events_account_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_events_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_events_received_at"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_transfer_reversals_transfer_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_transfer_reversals"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_transfers_destination_account_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_transfers_transfer_group"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_transfers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_payouts_account_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_payouts_status"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_payouts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_user_accounts_account_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_user_accounts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_stripe_customers_platform_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_customers_account_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_customers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_refunds_payment_intent_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_refunds_account_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_refunds"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_application_fees_account_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_application_fees_payment_intent_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_application_fees"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_charges_account_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_charges_destination_account_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_charges_latest_charge_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_charges_transfer_group"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_charges_customer_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_charges"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_persons_account_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_persons"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_external_accounts_account_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_external_accounts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_accounts_verification_due_by"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_stripe_accounts_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_accounts"
        `);
  }
}
