-- drone_telemetry becomes range-partitioned by recorded_at, one partition per UTC day, so
-- retention drops whole days (DROP TABLE, no DELETE, no vacuum debt) and the readers' time
-- predicates prune to a day or two. A DEFAULT partition catches readings for days that have no
-- partition yet (clock skew, a device replaying old history): nothing is refused or lost; the
-- worker's housekeeping (lib/telemetry-history/partitions.ts) moves them out later.
-- Existing rows are copied in this same transaction, and the old table is dropped only after
-- the copied row count matched. Keys, checks, the FK, the identity and the index names stay
-- as the spec has them (db/schema.ts describes the same columns).
LOCK TABLE "drone_telemetry" IN ACCESS EXCLUSIVE MODE;
--> statement-breakpoint
ALTER TABLE "drone_telemetry" RENAME TO "drone_telemetry_unpartitioned";
--> statement-breakpoint
ALTER TABLE "drone_telemetry_unpartitioned" RENAME CONSTRAINT "drone_telemetry_pkey" TO "drone_telemetry_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "idx_drone_telemetry_drone_recorded_at" RENAME TO "idx_drone_telemetry_unpartitioned_drone_recorded_at";
--> statement-breakpoint
ALTER INDEX "idx_drone_telemetry_recorded_at" RENAME TO "idx_drone_telemetry_unpartitioned_recorded_at";
--> statement-breakpoint
ALTER SEQUENCE "drone_telemetry_id_seq" RENAME TO "drone_telemetry_unpartitioned_id_seq";
--> statement-breakpoint
CREATE TABLE "drone_telemetry" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "drone_telemetry_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"drone_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"altitude_m" double precision,
	"heading_deg" double precision,
	"speed_mps" double precision,
	"battery_level" numeric(5, 2) NOT NULL,
	"status" varchar(50),
	CONSTRAINT "drone_telemetry_pkey" PRIMARY KEY("id","recorded_at"),
	CONSTRAINT "drone_telemetry_lat_check" CHECK ("drone_telemetry"."lat" BETWEEN -90 AND 90),
	CONSTRAINT "drone_telemetry_lon_check" CHECK ("drone_telemetry"."lon" BETWEEN -180 AND 180),
	CONSTRAINT "drone_telemetry_altitude_check" CHECK ("drone_telemetry"."altitude_m" IS NULL OR "drone_telemetry"."altitude_m" BETWEEN -500 AND 10000),
	CONSTRAINT "drone_telemetry_heading_check" CHECK ("drone_telemetry"."heading_deg" IS NULL OR "drone_telemetry"."heading_deg" BETWEEN 0 AND 360),
	CONSTRAINT "drone_telemetry_speed_check" CHECK ("drone_telemetry"."speed_mps" IS NULL OR "drone_telemetry"."speed_mps" >= 0),
	CONSTRAINT "drone_telemetry_battery_check" CHECK ("drone_telemetry"."battery_level" BETWEEN 0 AND 100),
	CONSTRAINT "drone_telemetry_status_check" CHECK ("drone_telemetry"."status" IS NULL OR "drone_telemetry"."status" IN ('idle', 'busy', 'charging', 'maintenance', 'offline'))
) PARTITION BY RANGE ("recorded_at");
--> statement-breakpoint
ALTER TABLE "drone_telemetry" ADD CONSTRAINT "drone_telemetry_drone_id_drones_id_fk" FOREIGN KEY ("drone_id") REFERENCES "public"."drones"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "idx_drone_telemetry_drone_recorded_at" ON "drone_telemetry" USING btree ("drone_id","recorded_at" DESC NULLS LAST);
--> statement-breakpoint
CREATE INDEX "idx_drone_telemetry_recorded_at" ON "drone_telemetry" USING brin ("recorded_at");
--> statement-breakpoint
CREATE TABLE "drone_telemetry_default" PARTITION OF "drone_telemetry" DEFAULT;
--> statement-breakpoint
-- One partition per UTC day that holds rows, and for today and the next 7 days. Names are
-- drone_telemetry_pYYYYMMDD, as housekeeping creates them.
DO $$
DECLARE
  d date;
BEGIN
  FOR d IN
    SELECT DISTINCT (recorded_at AT TIME ZONE 'UTC')::date FROM "drone_telemetry_unpartitioned"
    UNION
    SELECT g::date FROM generate_series((now() AT TIME ZONE 'UTC')::date, (now() AT TIME ZONE 'UTC')::date + 7, interval '1 day') g
  LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF "drone_telemetry" FOR VALUES FROM (%L) TO (%L)',
      'drone_telemetry_p' || to_char(d, 'YYYYMMDD'),
      d::text || ' 00:00:00+00',
      (d + 1)::text || ' 00:00:00+00'
    );
  END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO "drone_telemetry"
  ("id", "drone_id", "recorded_at", "received_at", "lat", "lon", "altitude_m", "heading_deg", "speed_mps", "battery_level", "status")
OVERRIDING SYSTEM VALUE
SELECT "id", "drone_id", "recorded_at", "received_at", "lat", "lon", "altitude_m", "heading_deg", "speed_mps", "battery_level", "status"
FROM "drone_telemetry_unpartitioned";
--> statement-breakpoint
DO $$
DECLARE
  before bigint;
  after bigint;
BEGIN
  SELECT count(*) INTO before FROM "drone_telemetry_unpartitioned";
  SELECT count(*) INTO after FROM "drone_telemetry";
  IF before <> after THEN
    RAISE EXCEPTION 'drone_telemetry partitioning copied % of % rows; nothing was changed', after, before;
  END IF;
  -- New readings continue after the highest copied id.
  PERFORM setval(pg_get_serial_sequence('"drone_telemetry"', 'id'), coalesce((SELECT max("id") FROM "drone_telemetry"), 0) + 1, false);
END $$;
--> statement-breakpoint
DROP TABLE "drone_telemetry_unpartitioned";
