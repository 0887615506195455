DROP INDEX "idx_drone_online_sessions_drone_ended";--> statement-breakpoint
DROP INDEX "idx_drone_online_sessions_ended_started";--> statement-breakpoint
CREATE INDEX "idx_drone_online_sessions_drone_started" ON "drone_online_sessions" USING btree ("drone_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_drone_online_sessions_ended" ON "drone_online_sessions" USING brin ("ended_at");