ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_parcel_automat_id_parcel_automats_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_good_id_goods_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_parcel_automat_id_parcel_automats_id_fk";
--> statement-breakpoint
ALTER TABLE "goods" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "parcel_automats" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_parcel_automat_id_parcel_automats_id_fk" FOREIGN KEY ("parcel_automat_id") REFERENCES "public"."parcel_automats"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_good_id_goods_id_fk" FOREIGN KEY ("good_id") REFERENCES "public"."goods"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_parcel_automat_id_parcel_automats_id_fk" FOREIGN KEY ("parcel_automat_id") REFERENCES "public"."parcel_automats"("id") ON DELETE restrict ON UPDATE no action;