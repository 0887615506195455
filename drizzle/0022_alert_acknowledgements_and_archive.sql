CREATE TABLE "alert_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"kind" varchar(50) NOT NULL,
	"object_id" uuid NOT NULL,
	"condition_since" timestamp with time zone,
	"note" varchar(500) NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_acknowledgements_kind_check" CHECK ("alert_acknowledgements"."kind" IN ('low_battery', 'drone_offline', 'delivery_stuck', 'automat_silent', 'order_pending')),
	CONSTRAINT "alert_acknowledgements_note_check" CHECK (length(btrim("alert_acknowledgements"."note")) > 0)
);
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_parcel_automat_id_parcel_automats_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_good_id_goods_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_parcel_automat_id_parcel_automats_id_fk";
--> statement-breakpoint
ALTER TABLE "goods" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "parcel_automats" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_acknowledgements" ADD CONSTRAINT "alert_acknowledgements_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_alert_acknowledgements_object" ON "alert_acknowledgements" USING btree ("kind","object_id","acknowledged_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_parcel_automat_id_parcel_automats_id_fk" FOREIGN KEY ("parcel_automat_id") REFERENCES "public"."parcel_automats"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_good_id_goods_id_fk" FOREIGN KEY ("good_id") REFERENCES "public"."goods"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_parcel_automat_id_parcel_automats_id_fk" FOREIGN KEY ("parcel_automat_id") REFERENCES "public"."parcel_automats"("id") ON DELETE restrict ON UPDATE no action;