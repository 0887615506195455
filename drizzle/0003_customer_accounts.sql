CREATE TABLE "rate_limit_counters" (
	"bucket" varchar(50) NOT NULL,
	"key" varchar(255) NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY("bucket","key","window_start"),
	CONSTRAINT "rate_limit_counters_count_check" CHECK ("rate_limit_counters"."count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "code_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_rate_limit_counters_window_start" ON "rate_limit_counters" USING btree ("window_start");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_code_attempts_check" CHECK ("users"."code_attempts" >= 0);