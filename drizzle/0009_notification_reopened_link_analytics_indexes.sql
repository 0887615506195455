ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check";--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_link_check";--> statement-breakpoint
CREATE INDEX "idx_deliveries_completed_at" ON "deliveries" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "idx_deliveries_updated_at" ON "deliveries" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "idx_orders_created_at" ON "orders" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("notifications"."kind" IN ('order_assigned', 'order_ready', 'order_collected', 'order_cancelled', 'order_failed', 'order_reopened', 'pickup_reminder', 'pickup_code_expiring'));--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_link_check" CHECK ("notifications"."data" ? 'link' AND "notifications"."data"->>'link' ~ '^/([^/\\]|$)');