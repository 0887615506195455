CREATE TABLE "drone_online_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "drone_online_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"drone_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	CONSTRAINT "drone_online_sessions_range_check" CHECK ("drone_online_sessions"."ended_at" >= "drone_online_sessions"."started_at")
);
--> statement-breakpoint
ALTER TABLE "drone_online_sessions" ADD CONSTRAINT "drone_online_sessions_drone_id_drones_id_fk" FOREIGN KEY ("drone_id") REFERENCES "public"."drones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_drone_online_sessions_drone_ended" ON "drone_online_sessions" USING btree ("drone_id","ended_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_drone_online_sessions_ended_started" ON "drone_online_sessions" USING btree ("ended_at","started_at");