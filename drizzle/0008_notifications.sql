CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"order_id" uuid,
	"kind" varchar(50) NOT NULL,
	"title" varchar(200) NOT NULL,
	"body" text NOT NULL,
	"data" jsonb NOT NULL,
	"dedupe_key" varchar(200) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"push_status" varchar(20) DEFAULT 'pending' NOT NULL,
	"push_attempts" integer DEFAULT 0 NOT NULL,
	"push_next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"push_last_error" text,
	"push_sent_at" timestamp with time zone,
	CONSTRAINT "notifications_dedupe_key_key" UNIQUE("dedupe_key"),
	CONSTRAINT "notifications_kind_check" CHECK ("notifications"."kind" IN ('order_assigned', 'order_ready', 'order_collected', 'order_cancelled', 'order_failed', 'pickup_reminder', 'pickup_code_expiring')),
	CONSTRAINT "notifications_push_status_check" CHECK ("notifications"."push_status" IN ('pending', 'sent', 'failed', 'skipped')),
	CONSTRAINT "notifications_push_attempts_check" CHECK ("notifications"."push_attempts" >= 0),
	CONSTRAINT "notifications_body_check" CHECK (length("notifications"."body") BETWEEN 1 AND 1000 AND length("notifications"."title") >= 1),
	CONSTRAINT "notifications_link_check" CHECK ("notifications"."data" ? 'link' AND "notifications"."data"->>'link' LIKE '/%')
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_notifications_user_created" ON "notifications" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_notifications_user_unread" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_notifications_push_due" ON "notifications" USING btree ("push_next_attempt_at") WHERE "notifications"."push_status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_notifications_order_id" ON "notifications" USING btree ("order_id");