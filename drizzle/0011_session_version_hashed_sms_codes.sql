ALTER TABLE "users" DROP CONSTRAINT "users_verification_code_check";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "verification_code" SET DATA TYPE varchar(64);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "qr_spent_issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_session_version_check" CHECK ("users"."session_version" >= 0);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_verification_code_check" CHECK ("users"."verification_code" IS NULL OR "users"."verification_code" ~ '^[0-9a-f]{64}$');