CREATE SEQUENCE "public"."drone_call_sign_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "drones" ADD COLUMN "call_sign" varchar(12) DEFAULT regexp_replace('D-0' || nextval('drone_call_sign_seq'), '^D-0([0-9]{2,})$', 'D-\1') NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "idx_drones_call_sign" ON "drones" USING btree (lower("call_sign"));--> statement-breakpoint
ALTER TABLE "drones" ADD CONSTRAINT "drones_call_sign_check" CHECK ("drones"."call_sign" ~ '^[A-Z0-9-]{2,12}$');