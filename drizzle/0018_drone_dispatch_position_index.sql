-- The nearest-idle-drone index (0013) moves from last_lat/last_lon to dispatch_lat/dispatch_lon
-- (0017): the position columns change at every telemetry reading, and an index on them made
-- every drone update a non-HOT one (an entry in each of the drone indexes per reading). Same
-- name, same predicate; nearestDroneQuery (lib/dispatch/lifecycle.ts) orders by these columns.
DROP INDEX IF EXISTS "idx_drones_idle_position";--> statement-breakpoint
CREATE INDEX "idx_drones_idle_position" ON "drones" USING gist (ll_to_earth("dispatch_lat", "dispatch_lon")) WHERE "status" = 'idle';
