CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"order_id" uuid NOT NULL,
	"drone_id" uuid,
	"parcel_automat_id" uuid NOT NULL,
	"internal_locker_cell_id" uuid,
	"status" varchar(50) DEFAULT 'pending' NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"failure_reason" varchar(500),
	CONSTRAINT "deliveries_status_check" CHECK ("deliveries"."status" IN ('pending', 'assigned', 'in_progress', 'delivered', 'completed', 'failed')),
	CONSTRAINT "deliveries_completed_after_started_check" CHECK ("deliveries"."completed_at" IS NULL OR "deliveries"."started_at" IS NULL OR "deliveries"."completed_at" >= "deliveries"."started_at"),
	CONSTRAINT "deliveries_failure_reason_check" CHECK ("deliveries"."status" <> 'failed' OR "deliveries"."failure_reason" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "delivery_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "delivery_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" uuid NOT NULL,
	"delivery_id" uuid,
	"entity" varchar(20) NOT NULL,
	"event" varchar(50) NOT NULL,
	"from_status" varchar(50),
	"to_status" varchar(50),
	"actor_type" varchar(20) NOT NULL,
	"actor_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_events_entity_check" CHECK ("delivery_events"."entity" IN ('order', 'delivery')),
	CONSTRAINT "delivery_events_actor_type_check" CHECK ("delivery_events"."actor_type" IN ('system', 'worker', 'customer', 'admin', 'drone', 'automat')),
	CONSTRAINT "delivery_events_delivery_entity_check" CHECK ("delivery_events"."entity" <> 'delivery' OR "delivery_events"."delivery_id" IS NOT NULL),
	CONSTRAINT "delivery_events_details_check" CHECK (jsonb_typeof("delivery_events"."details") = 'object')
);
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
);
--> statement-breakpoint
CREATE TABLE "drones" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"model" varchar(255) NOT NULL,
	"ip_address" varchar(45) NOT NULL,
	"status" varchar(50) DEFAULT 'idle' NOT NULL,
	"battery_level" numeric(5, 2) DEFAULT 100,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now(),
	"api_key_hash" varchar(64),
	"last_lat" double precision,
	"last_lon" double precision,
	"altitude_m" double precision,
	"heading_deg" double precision,
	"speed_mps" double precision,
	"position_recorded_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "drones_api_key_hash_key" UNIQUE("api_key_hash"),
	CONSTRAINT "drones_status_check" CHECK ("drones"."status" IN ('idle', 'busy', 'charging', 'maintenance', 'offline')),
	CONSTRAINT "drones_battery_level_check" CHECK ("drones"."battery_level" BETWEEN 0 AND 100),
	CONSTRAINT "drones_api_key_hash_check" CHECK ("drones"."api_key_hash" IS NULL OR "drones"."api_key_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "drones_position_check" CHECK (("drones"."last_lat" IS NULL) = ("drones"."last_lon" IS NULL) AND ("drones"."last_lat" IS NULL OR "drones"."last_lat" BETWEEN -90 AND 90 AND "drones"."last_lon" BETWEEN -180 AND 180)),
	CONSTRAINT "drones_heading_check" CHECK ("drones"."heading_deg" IS NULL OR "drones"."heading_deg" BETWEEN 0 AND 360),
	CONSTRAINT "drones_speed_check" CHECK ("drones"."speed_mps" IS NULL OR "drones"."speed_mps" >= 0),
	CONSTRAINT "drones_altitude_check" CHECK ("drones"."altitude_m" IS NULL OR "drones"."altitude_m" BETWEEN -500 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "goods" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"name" varchar(255) NOT NULL,
	"weight" numeric(10, 2) NOT NULL,
	"height" numeric(10, 2) NOT NULL,
	"length" numeric(10, 2) NOT NULL,
	"width" numeric(10, 2) NOT NULL,
	"quantity_available" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "goods_weight_check" CHECK ("goods"."weight" > 0),
	CONSTRAINT "goods_dimensions_check" CHECK ("goods"."height" > 0 AND "goods"."length" > 0 AND "goods"."width" > 0),
	CONSTRAINT "goods_quantity_available_check" CHECK ("goods"."quantity_available" >= 0)
);
--> statement-breakpoint
CREATE TABLE "locker_cells_internal" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"post_id" uuid NOT NULL,
	"height" numeric(10, 2) NOT NULL,
	"length" numeric(10, 2) NOT NULL,
	"width" numeric(10, 2) NOT NULL,
	"status" varchar(50) DEFAULT 'available' NOT NULL,
	"cell_number" integer,
	CONSTRAINT "locker_cells_internal_status_check" CHECK ("locker_cells_internal"."status" IN ('available', 'occupied', 'reserved', 'maintenance')),
	CONSTRAINT "locker_cells_internal_dimensions_check" CHECK ("locker_cells_internal"."height" > 0 AND "locker_cells_internal"."length" > 0 AND "locker_cells_internal"."width" > 0),
	CONSTRAINT "locker_cells_internal_cell_number_check" CHECK ("locker_cells_internal"."cell_number" IS NULL OR "locker_cells_internal"."cell_number" > 0)
);
--> statement-breakpoint
CREATE TABLE "locker_cells_out" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"post_id" uuid NOT NULL,
	"height" numeric(10, 2) NOT NULL,
	"length" numeric(10, 2) NOT NULL,
	"width" numeric(10, 2) NOT NULL,
	"status" varchar(50) DEFAULT 'available' NOT NULL,
	"cell_number" integer,
	CONSTRAINT "locker_cells_out_status_check" CHECK ("locker_cells_out"."status" IN ('available', 'occupied', 'reserved', 'maintenance')),
	CONSTRAINT "locker_cells_out_dimensions_check" CHECK ("locker_cells_out"."height" > 0 AND "locker_cells_out"."length" > 0 AND "locker_cells_out"."width" > 0),
	CONSTRAINT "locker_cells_out_cell_number_check" CHECK ("locker_cells_out"."cell_number" IS NULL OR "locker_cells_out"."cell_number" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"good_id" uuid NOT NULL,
	"parcel_automat_id" uuid NOT NULL,
	"locker_cell_id" uuid,
	"status" varchar(50) DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_check" CHECK ("orders"."status" IN ('pending', 'processing', 'delivered', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "parcel_automats" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"city" varchar(255) NOT NULL,
	"address" varchar(255) NOT NULL,
	"number_of_cells" integer NOT NULL,
	"ip_address" varchar(45) NOT NULL,
	"coordinates" varchar(255) NOT NULL,
	"aruco_id" integer NOT NULL,
	"is_working" boolean DEFAULT true NOT NULL,
	"api_key_hash" varchar(64),
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "parcel_automats_api_key_hash_key" UNIQUE("api_key_hash"),
	CONSTRAINT "parcel_automats_number_of_cells_check" CHECK ("parcel_automats"."number_of_cells" >= 0),
	CONSTRAINT "parcel_automats_aruco_id_check" CHECK ("parcel_automats"."aruco_id" >= 0),
	CONSTRAINT "parcel_automats_coordinates_check" CHECK ("parcel_automats"."coordinates" ~ '^-?[0-9]{1,2}(\.[0-9]+)?,-?[0-9]{1,3}(\.[0-9]+)?$' AND split_part("parcel_automats"."coordinates", ',', 1)::numeric BETWEEN -90 AND 90 AND split_part("parcel_automats"."coordinates", ',', 2)::numeric BETWEEN -180 AND 180),
	CONSTRAINT "parcel_automats_api_key_hash_check" CHECK ("parcel_automats"."api_key_hash" IS NULL OR "parcel_automats"."api_key_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "user_devices" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"token" text NOT NULL,
	"platform" varchar(50) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_devices_token_key" UNIQUE("token"),
	CONSTRAINT "user_devices_platform_check" CHECK ("user_devices"."platform" IN ('ios', 'android', 'web'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"full_name" varchar(255) NOT NULL,
	"email" varchar(255),
	"phone_number" varchar(20),
	"pass_hash" varchar(255),
	"phone_verified" boolean DEFAULT false NOT NULL,
	"verification_code" varchar(10),
	"code_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"role" varchar(50) DEFAULT 'client' NOT NULL,
	"qr_issued_at" timestamp with time zone,
	"qr_expires_at" timestamp with time zone,
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_phone_number_key" UNIQUE("phone_number"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" IN ('client', 'admin')),
	CONSTRAINT "users_contact_check" CHECK ("users"."email" IS NOT NULL OR "users"."phone_number" IS NOT NULL),
	CONSTRAINT "users_email_format_check" CHECK ("users"."email" IS NULL OR "users"."email" ~ '^[^@\s]+@[^@\s]+$' AND "users"."email" = lower("users"."email")),
	CONSTRAINT "users_phone_format_check" CHECK ("users"."phone_number" IS NULL OR "users"."phone_number" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "users_verification_code_check" CHECK ("users"."verification_code" IS NULL OR "users"."verification_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "users_qr_window_check" CHECK ("users"."qr_expires_at" IS NULL OR "users"."qr_issued_at" IS NOT NULL AND "users"."qr_expires_at" > "users"."qr_issued_at")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_drone_id_drones_id_fk" FOREIGN KEY ("drone_id") REFERENCES "public"."drones"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_parcel_automat_id_parcel_automats_id_fk" FOREIGN KEY ("parcel_automat_id") REFERENCES "public"."parcel_automats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_internal_locker_cell_id_locker_cells_internal_id_fk" FOREIGN KEY ("internal_locker_cell_id") REFERENCES "public"."locker_cells_internal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_events" ADD CONSTRAINT "delivery_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_events" ADD CONSTRAINT "delivery_events_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drone_telemetry" ADD CONSTRAINT "drone_telemetry_drone_id_drones_id_fk" FOREIGN KEY ("drone_id") REFERENCES "public"."drones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_cells_internal" ADD CONSTRAINT "locker_cells_internal_post_id_parcel_automats_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."parcel_automats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_cells_out" ADD CONSTRAINT "locker_cells_out_post_id_parcel_automats_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."parcel_automats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_good_id_goods_id_fk" FOREIGN KEY ("good_id") REFERENCES "public"."goods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_parcel_automat_id_parcel_automats_id_fk" FOREIGN KEY ("parcel_automat_id") REFERENCES "public"."parcel_automats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_locker_cell_id_locker_cells_out_id_fk" FOREIGN KEY ("locker_cell_id") REFERENCES "public"."locker_cells_out"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_devices" ADD CONSTRAINT "user_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_deliveries_status" ON "deliveries" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_deliveries_drone_id" ON "deliveries" USING btree ("drone_id");--> statement-breakpoint
CREATE INDEX "idx_deliveries_order_id" ON "deliveries" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "idx_deliveries_parcel_automat_id" ON "deliveries" USING btree ("parcel_automat_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_deliveries_order_active" ON "deliveries" USING btree ("order_id") WHERE "deliveries"."status" IN ('pending', 'assigned', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "uq_deliveries_drone_active" ON "deliveries" USING btree ("drone_id") WHERE "deliveries"."drone_id" IS NOT NULL AND "deliveries"."status" IN ('pending', 'assigned', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "uq_deliveries_internal_cell_active" ON "deliveries" USING btree ("internal_locker_cell_id") WHERE "deliveries"."internal_locker_cell_id" IS NOT NULL AND "deliveries"."status" IN ('pending', 'assigned', 'in_progress', 'delivered');--> statement-breakpoint
CREATE INDEX "idx_delivery_events_order_id_created_at" ON "delivery_events" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_delivery_events_delivery_id" ON "delivery_events" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "idx_delivery_events_created_at" ON "delivery_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_drone_telemetry_drone_recorded_at" ON "drone_telemetry" USING btree ("drone_id","recorded_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_drone_telemetry_recorded_at" ON "drone_telemetry" USING brin ("recorded_at");--> statement-breakpoint
CREATE INDEX "idx_drones_ip_address" ON "drones" USING btree ("ip_address");--> statement-breakpoint
CREATE INDEX "idx_drones_status" ON "drones" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_locker_cells_internal_status" ON "locker_cells_internal" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_locker_cells_internal_post_cell_number" ON "locker_cells_internal" USING btree ("post_id","cell_number");--> statement-breakpoint
CREATE INDEX "idx_locker_cells_out_status" ON "locker_cells_out" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_locker_cells_out_post_cell_number" ON "locker_cells_out" USING btree ("post_id","cell_number");--> statement-breakpoint
CREATE INDEX "idx_orders_user_id" ON "orders" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_orders_status" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_orders_status_created_at" ON "orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "idx_orders_parcel_automat_id" ON "orders" USING btree ("parcel_automat_id");--> statement-breakpoint
CREATE INDEX "idx_orders_good_id" ON "orders" USING btree ("good_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_orders_locker_cell_active" ON "orders" USING btree ("locker_cell_id") WHERE "orders"."locker_cell_id" IS NOT NULL AND "orders"."status" IN ('pending', 'processing', 'delivered');--> statement-breakpoint
CREATE INDEX "idx_parcel_automats_ip_address" ON "parcel_automats" USING btree ("ip_address");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_parcel_automats_aruco_id" ON "parcel_automats" USING btree ("aruco_id");--> statement-breakpoint
CREATE INDEX "idx_user_devices_user_id" ON "user_devices" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_users_phone_number" ON "users" USING btree ("phone_number");