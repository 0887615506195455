-- The dispatcher's nearest idle drone (lib/dispatch/lifecycle.ts nearestDroneQuery): a KNN walk
-- of this GiST index, nearest first, instead of computing and sorting the distance of every
-- idle drone per assignment. Partial: only idle drones are candidates, and the index stays as
-- small as the idle fleet. cube and earthdistance ship with PostgreSQL's contrib.
CREATE EXTENSION IF NOT EXISTS cube;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS earthdistance;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_drones_idle_position" ON "drones" USING gist (ll_to_earth("last_lat", "last_lon")) WHERE "status" = 'idle';
