import type { TimelineEvent } from '@/lib/lifecycle/machine';
import { relations, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { LOCALES, type Locale } from '../i18n/config';
import {
  ACTIVE_DELIVERY_STATUSES,
  CELL_HOLDING_ORDER_STATUSES,
  CELL_STATUSES,
  DELIVERY_STATUSES,
  DROP_CELL_DELIVERY_STATUSES,
  DRONE_STATUSES,
  DEVICE_PLATFORMS,
  EVENT_ACTORS,
  NOTIFICATION_KINDS,
  ORDER_STATUSES,
  sqlLiterals,
  type CellStatus,
  type DeliveryStatus,
  type DroneStatus,
  type EventActor,
  type OrderStatus,
} from './statuses';

export * from './statuses';

// Tables, columns, defaults, FK actions and index names follow
// shared/seeds/skypost-database.md. What the spec leaves to "application-level validation"
// is enforced here too, as CHECK constraints and partial unique indexes.

export const USER_ROLES = ['client', 'admin'] as const;
export const EVENT_ENTITIES = ['order', 'delivery'] as const;
export const PUSH_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
/** Conditions the admin alerts list derives from the data (db/queries/alerts.ts). */
export const ALERT_KINDS = [
  'low_battery',
  'drone_offline',
  'delivery_stuck',
  'automat_silent',
  'order_pending',
] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type PushStatus = (typeof PUSH_STATUSES)[number];
export type AlertKind = (typeof ALERT_KINDS)[number];

const uuidPk = () =>
  uuid('id')
    .primaryKey()
    .default(sql`uuid_generate_v4()`);
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const dim = (name: string) => numeric(name, { precision: 10, scale: 2, mode: 'number' });
/**
 * A named status set (above) as an SQL list of literals, for `status in (${sqlList(SET)})`.
 * Literals, not parameters: the planner then matches the partial indexes built on the same
 * lists. Only for these constants, never for input.
 */
export const sqlList = (values: readonly string[]) => sql.raw(sqlLiterals(values));
const inList = sqlList;

export const users = pgTable(
  'users',
  {
    id: uuidPk(),
    fullName: varchar('full_name', { length: 255 }).notNull(),
    email: varchar('email', { length: 255 }).unique('users_email_key'),
    phoneNumber: varchar('phone_number', { length: 20 }).unique('users_phone_number_key'),
    passHash: varchar('pass_hash', { length: 255 }),
    phoneVerified: boolean('phone_verified').notNull().default(false),
    // Addition: an HMAC-SHA256 (hex) of the 6-digit code, never the code itself (lib/accounts/phone.ts).
    verificationCode: varchar('verification_code', { length: 64 }),
    codeExpiresAt: tstz('code_expires_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    role: varchar('role', { length: 50 }).$type<UserRole>().notNull().default('client'),
    qrIssuedAt: tstz('qr_issued_at'),
    qrExpiresAt: tstz('qr_expires_at'),
    // Addition: the issue time of the code the last pickup spent (cleared when a code is issued
    // by hand), so the kiosk can answer a repeated scan of it with nothing_to_collect.
    qrSpentIssuedAt: tstz('qr_spent_issued_at'),
    // Addition: wrong guesses against the current SMS code (5 void it).
    codeAttempts: integer('code_attempts').notNull().default(0),
    // Addition: sessions carry the version they were issued under; bumping it (sign out
    // everywhere, password or role change) refuses every older session at once.
    sessionVersion: integer('session_version').notNull().default(0),
    // Addition: the language notifications (in-app and push) are written in. Taken from the
    // browser at registration or first sign-in (locale_set_at still null), then from the
    // customer's own choice in the language switch.
    locale: varchar('locale', { length: 8 }).$type<Locale>().notNull().default('en'),
    localeSetAt: tstz('locale_set_at'),
  },
  (t) => [
    index('idx_users_phone_number').on(t.phoneNumber),
    check('users_role_check', sql`${t.role} IN (${inList(USER_ROLES)})`),
    check('users_locale_check', sql`${t.locale} IN (${inList(LOCALES)})`),
    check('users_contact_check', sql`${t.email} IS NOT NULL OR ${t.phoneNumber} IS NOT NULL`),
    check(
      'users_email_format_check',
      sql`${t.email} IS NULL OR ${t.email} ~ '^[^@\\s]+@[^@\\s]+$' AND ${t.email} = lower(${t.email})`,
    ),
    check('users_phone_format_check', sql`${t.phoneNumber} IS NULL OR ${t.phoneNumber} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check(
      'users_verification_code_check',
      sql`${t.verificationCode} IS NULL OR ${t.verificationCode} ~ '^[0-9a-f]{64}$'`,
    ),
    check('users_code_attempts_check', sql`${t.codeAttempts} >= 0`),
    check('users_session_version_check', sql`${t.sessionVersion} >= 0`),
    check(
      'users_qr_window_check',
      sql`${t.qrExpiresAt} IS NULL OR ${t.qrIssuedAt} IS NOT NULL AND ${t.qrExpiresAt} > ${t.qrIssuedAt}`,
    ),
  ],
);

export const userDevices = pgTable(
  'user_devices',
  {
    id: uuidPk(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    token: text('token').notNull().unique('user_devices_token_key'),
    platform: varchar('platform', { length: 50 }).$type<DevicePlatform>().notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_user_devices_user_id').on(t.userId),
    check('user_devices_platform_check', sql`${t.platform} IN (${inList(DEVICE_PLATFORMS)})`),
  ],
);

export const goods = pgTable(
  'goods',
  {
    id: uuidPk(),
    name: varchar('name', { length: 255 }).notNull(),
    weight: dim('weight').notNull(),
    height: dim('height').notNull(),
    length: dim('length').notNull(),
    width: dim('width').notNull(),
    quantityAvailable: integer('quantity_available').notNull().default(0),
    // Addition: when the good was archived (null: on sale). Archived goods are hidden from the
    // catalog and refused for new orders, but kept for the history of the orders that name them.
    archivedAt: tstz('archived_at'),
  },
  (t) => [
    check('goods_weight_check', sql`${t.weight} > 0`),
    check('goods_dimensions_check', sql`${t.height} > 0 AND ${t.length} > 0 AND ${t.width} > 0`),
    check('goods_quantity_available_check', sql`${t.quantityAvailable} >= 0`),
  ],
);

/** Numbers the call signs given automatically (D-01, D-02, ...); typed call signs do not use it. */
export const droneCallSignSeq = pgSequence('drone_call_sign_seq');

/** What a call sign may be: 2 to 12 capital letters, digits and dashes. */
export const CALL_SIGN_PATTERN = '^[A-Z0-9-]{2,12}$';

export const drones = pgTable(
  'drones',
  {
    id: uuidPk(),
    model: varchar('model', { length: 255 }).notNull(),
    // Addition: the name people use for a drone (six of the demo fleet are "Clover 4"). Unique
    // ignoring case. A row inserted without one (and every drone that existed when the column
    // was added) gets the next number: D-01 ... D-99, D-100 ...
    callSign: varchar('call_sign', { length: 12 })
      .notNull()
      .default(sql`regexp_replace('D-0' || nextval('drone_call_sign_seq'), '^D-0([0-9]{2,})$', 'D-\\1')`),
    ipAddress: varchar('ip_address', { length: 45 }).notNull(),
    status: varchar('status', { length: 50 }).$type<DroneStatus>().notNull().default('idle'),
    batteryLevel: numeric('battery_level', { precision: 5, scale: 2, mode: 'number' }).default(100.0),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').defaultNow(),
    // Additions: device authentication and the last reported state (hot telemetry).
    apiKeyHash: varchar('api_key_hash', { length: 64 }).unique('drones_api_key_hash_key'),
    lastLat: doublePrecision('last_lat'),
    lastLon: doublePrecision('last_lon'),
    altitudeM: doublePrecision('altitude_m'),
    headingDeg: doublePrecision('heading_deg'),
    speedMps: doublePrecision('speed_mps'),
    positionRecordedAt: tstz('position_recorded_at'),
    lastSeenAt: tstz('last_seen_at'),
    // Addition: where the dispatcher looks for an idle drone, the last position on a 0.0001°
    // grid (about 11 m by 6 m here), and NULL when the drone is not idle. The nearest-drone
    // index (idx_drones_idle_position) is on these, not on last_lat/last_lon, so the update of
    // every telemetry reading is a HOT update (no index entries) unless a drone goes idle,
    // stops being idle, or an idle drone moves to another cell.
    dispatchLat: doublePrecision('dispatch_lat').generatedAlwaysAs(
      sql`CASE WHEN status = 'idle' THEN round(last_lat::numeric, 4)::double precision END`,
    ),
    dispatchLon: doublePrecision('dispatch_lon').generatedAlwaysAs(
      sql`CASE WHEN status = 'idle' THEN round(last_lon::numeric, 4)::double precision END`,
    ),
  },
  (t) => {
    const positionPaired = sql`(${t.lastLat} IS NULL) = (${t.lastLon} IS NULL)`;
    const latInRange = sql`${t.lastLat} BETWEEN -90 AND 90`;
    const lonInRange = sql`${t.lastLon} BETWEEN -180 AND 180`;
    return [
      index('idx_drones_ip_address').on(t.ipAddress),
      uniqueIndex('idx_drones_call_sign').on(sql`lower(${t.callSign})`),
      check('drones_call_sign_check', sql`${t.callSign} ~ '^[A-Z0-9-]{2,12}$'`),
      index('idx_drones_status').on(t.status),
      check('drones_status_check', sql`${t.status} IN (${inList(DRONE_STATUSES)})`),
      check('drones_battery_level_check', sql`${t.batteryLevel} BETWEEN 0 AND 100`),
      check('drones_api_key_hash_check', sql`${t.apiKeyHash} IS NULL OR ${t.apiKeyHash} ~ '^[0-9a-f]{64}$'`),
      check(
        'drones_position_check',
        sql`${positionPaired} AND (${t.lastLat} IS NULL OR ${latInRange} AND ${lonInRange})`,
      ),
      check('drones_heading_check', sql`${t.headingDeg} IS NULL OR ${t.headingDeg} BETWEEN 0 AND 360`),
      check('drones_speed_check', sql`${t.speedMps} IS NULL OR ${t.speedMps} >= 0`),
      check('drones_altitude_check', sql`${t.altitudeM} IS NULL OR ${t.altitudeM} BETWEEN -500 AND 10000`),
    ];
  },
);

export const parcelAutomats = pgTable(
  'parcel_automats',
  {
    id: uuidPk(),
    city: varchar('city', { length: 255 }).notNull(),
    address: varchar('address', { length: 255 }).notNull(),
    numberOfCells: integer('number_of_cells').notNull(),
    ipAddress: varchar('ip_address', { length: 45 }).notNull(),
    coordinates: varchar('coordinates', { length: 255 }).notNull(),
    arucoId: integer('aruco_id').notNull(),
    isWorking: boolean('is_working').notNull().default(true),
    // Additions: device authentication and liveness.
    apiKeyHash: varchar('api_key_hash', { length: 64 }).unique('parcel_automats_api_key_hash_key'),
    lastSeenAt: tstz('last_seen_at'),
    // Addition: the kiosk's staff PIN, set when its screen is paired; only an scrypt hash
    // (lib/kiosk/staff-pin.ts), never the PIN.
    staffPinHash: varchar('staff_pin_hash', { length: 200 }),
    // Addition: when the locker was archived (taken out of service for good; null: in the
    // network). Hidden from ordering and the map, kept for its orders' history.
    archivedAt: tstz('archived_at'),
  },
  (t) => {
    const coordinatesFormat = sql`${t.coordinates} ~ '^-?[0-9]{1,2}(\\.[0-9]+)?,-?[0-9]{1,3}(\\.[0-9]+)?$'`;
    const latInRange = sql`split_part(${t.coordinates}, ',', 1)::numeric BETWEEN -90 AND 90`;
    const lonInRange = sql`split_part(${t.coordinates}, ',', 2)::numeric BETWEEN -180 AND 180`;
    const scryptHashPattern = sql`'^scrypt\\$[0-9]+\\$[0-9]+\\$[0-9]+\\$[A-Za-z0-9_-]+\\$[A-Za-z0-9_-]+$'`;
    return [
      index('idx_parcel_automats_ip_address').on(t.ipAddress),
      uniqueIndex('idx_parcel_automats_aruco_id').on(t.arucoId),
      check('parcel_automats_number_of_cells_check', sql`${t.numberOfCells} >= 0`),
      check('parcel_automats_aruco_id_check', sql`${t.arucoId} >= 0`),
      // "lat,lon" in decimal degrees, lat first, each within range.
      check('parcel_automats_coordinates_check', sql`${coordinatesFormat} AND ${latInRange} AND ${lonInRange}`),
      check('parcel_automats_api_key_hash_check', sql`${t.apiKeyHash} IS NULL OR ${t.apiKeyHash} ~ '^[0-9a-f]{64}$'`),
      check(
        'parcel_automats_staff_pin_hash_check',
        sql`${t.staffPinHash} IS NULL OR ${t.staffPinHash} ~ ${scryptHashPattern}`,
      ),
    ];
  },
);

const cellColumns = () => ({
  id: uuidPk(),
  postId: uuid('post_id')
    .notNull()
    .references(() => parcelAutomats.id, { onDelete: 'cascade' }),
  height: dim('height').notNull(),
  length: dim('length').notNull(),
  width: dim('width').notNull(),
  status: varchar('status', { length: 50 }).$type<CellStatus>().notNull().default('available'),
  cellNumber: integer('cell_number'),
});

export const lockerCellsOut = pgTable('locker_cells_out', cellColumns(), (t) => [
  index('idx_locker_cells_out_status').on(t.status),
  uniqueIndex('idx_locker_cells_out_post_cell_number').on(t.postId, t.cellNumber),
  check('locker_cells_out_status_check', sql`${t.status} IN (${inList(CELL_STATUSES)})`),
  check('locker_cells_out_dimensions_check', sql`${t.height} > 0 AND ${t.length} > 0 AND ${t.width} > 0`),
  check('locker_cells_out_cell_number_check', sql`${t.cellNumber} IS NULL OR ${t.cellNumber} > 0`),
]);

export const lockerCellsInternal = pgTable('locker_cells_internal', cellColumns(), (t) => [
  index('idx_locker_cells_internal_status').on(t.status),
  uniqueIndex('idx_locker_cells_internal_post_cell_number').on(t.postId, t.cellNumber),
  check('locker_cells_internal_status_check', sql`${t.status} IN (${inList(CELL_STATUSES)})`),
  check('locker_cells_internal_dimensions_check', sql`${t.height} > 0 AND ${t.length} > 0 AND ${t.width} > 0`),
  check('locker_cells_internal_cell_number_check', sql`${t.cellNumber} IS NULL OR ${t.cellNumber} > 0`),
]);

export const orders = pgTable(
  'orders',
  {
    id: uuidPk(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // RESTRICT, not the spec's CASCADE: deleting a good or a locker must never delete the
    // orders that name it (customers' history). Those are archived instead (lib/admin/goods.ts,
    // lib/admin/automats.ts); only what no order names can be deleted.
    goodId: uuid('good_id')
      .notNull()
      .references(() => goods.id, { onDelete: 'restrict' }),
    parcelAutomatId: uuid('parcel_automat_id')
      .notNull()
      .references(() => parcelAutomats.id, { onDelete: 'restrict' }),
    lockerCellId: uuid('locker_cell_id').references(() => lockerCellsOut.id, { onDelete: 'set null' }),
    status: varchar('status', { length: 50 }).$type<OrderStatus>().notNull().default('pending'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    // Addition: last status change, for "pending too long" alerts and sorting.
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    // Addition: the 6-digit PIN that opens the parcel's cell at the kiosk keypad, set when the
    // parcel is ready (lib/pickup/pin.ts) and cleared by the pickup that spends it.
    pickupPin: varchar('pickup_pin', { length: 6 }),
  },
  (t) => [
    index('idx_orders_user_id').on(t.userId),
    index('idx_orders_status').on(t.status),
    index('idx_orders_status_created_at').on(t.status, t.createdAt),
    // Addition: analytics' period filters.
    index('idx_orders_created_at').on(t.createdAt),
    index('idx_orders_parcel_automat_id').on(t.parcelAutomatId),
    index('idx_orders_good_id').on(t.goodId),
    check('orders_status_check', sql`${t.status} IN (${inList(ORDER_STATUSES)})`),
    // An external cell is held by at most one order that is not yet collected or cancelled.
    uniqueIndex('uq_orders_locker_cell_active')
      .on(t.lockerCellId)
      .where(sql`${t.lockerCellId} IS NOT NULL AND ${t.status} IN (${inList(CELL_HOLDING_ORDER_STATUSES)})`),
    // A pickup PIN exists only while the parcel waits, and names one parcel at its locker.
    check(
      'orders_pickup_pin_check',
      sql`${t.pickupPin} IS NULL OR (${t.pickupPin} ~ '^[0-9]{6}$' AND ${t.status} = 'delivered')`,
    ),
    uniqueIndex('uq_orders_pickup_pin_waiting')
      .on(t.parcelAutomatId, t.pickupPin)
      .where(sql`${t.pickupPin} IS NOT NULL`),
  ],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: uuidPk(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    droneId: uuid('drone_id').references(() => drones.id, { onDelete: 'set null' }),
    // RESTRICT, as orders.parcel_automat_id: a delivery is part of its order's history.
    parcelAutomatId: uuid('parcel_automat_id')
      .notNull()
      .references(() => parcelAutomats.id, { onDelete: 'restrict' }),
    internalLockerCellId: uuid('internal_locker_cell_id').references(() => lockerCellsInternal.id, {
      onDelete: 'set null',
    }),
    status: varchar('status', { length: 50 }).$type<DeliveryStatus>().notNull().default('pending'),
    startedAt: tstz('started_at'),
    completedAt: tstz('completed_at'),
    // Additions: when the delivery was created/assigned and why it failed.
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    failureReason: varchar('failure_reason', { length: 500 }),
  },
  (t) => {
    // The statuses in which a delivery holds its internal cell.
    const holdsInternalCell = sql`${t.status} IN (${inList(DROP_CELL_DELIVERY_STATUSES)})`;
    return [
      index('idx_deliveries_status').on(t.status),
      // Addition: analytics' period filters (durations by completion, utilization by last change).
      index('idx_deliveries_completed_at').on(t.completedAt),
      index('idx_deliveries_updated_at').on(t.updatedAt),
      index('idx_deliveries_drone_id').on(t.droneId),
      index('idx_deliveries_order_id').on(t.orderId),
      index('idx_deliveries_parcel_automat_id').on(t.parcelAutomatId),
      check('deliveries_status_check', sql`${t.status} IN (${inList(DELIVERY_STATUSES)})`),
      check(
        'deliveries_completed_after_started_check',
        sql`${t.completedAt} IS NULL OR ${t.startedAt} IS NULL OR ${t.completedAt} >= ${t.startedAt}`,
      ),
      check('deliveries_failure_reason_check', sql`${t.status} <> 'failed' OR ${t.failureReason} IS NOT NULL`),
      // At most one active delivery per order and per drone.
      uniqueIndex('uq_deliveries_order_active')
        .on(t.orderId)
        .where(sql`${t.status} IN (${inList(ACTIVE_DELIVERY_STATUSES)})`),
      uniqueIndex('uq_deliveries_drone_active')
        .on(t.droneId)
        .where(sql`${t.droneId} IS NOT NULL AND ${t.status} IN (${inList(ACTIVE_DELIVERY_STATUSES)})`),
      // An internal cell receives at most one parcel at a time.
      uniqueIndex('uq_deliveries_internal_cell_active')
        .on(t.internalLockerCellId)
        .where(sql`${t.internalLockerCellId} IS NOT NULL AND ${holdsInternalCell}`),
    ];
  },
);

/**
 * One row per drone reading. The primary key includes recorded_at because the table is
 * range-partitioned by recorded_at, one partition per UTC day plus a DEFAULT partition
 * (drizzle/0014_telemetry_partitions.sql; housekeeping in lib/telemetry-history/partitions.ts).
 * drizzle-kit does not model partitioning, so this describes the parent's columns, keys,
 * checks and indexes only; they match the partitioned table, and `drizzle-kit generate`
 * finds no difference.
 */
export const droneTelemetry = pgTable(
  'drone_telemetry',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    droneId: uuid('drone_id')
      .notNull()
      .references(() => drones.id, { onDelete: 'cascade' }),
    recordedAt: tstz('recorded_at').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    altitudeM: doublePrecision('altitude_m'),
    headingDeg: doublePrecision('heading_deg'),
    speedMps: doublePrecision('speed_mps'),
    batteryLevel: numeric('battery_level', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    status: varchar('status', { length: 50 }).$type<DroneStatus>(),
  },
  (t) => [
    primaryKey({ name: 'drone_telemetry_pkey', columns: [t.id, t.recordedAt] }),
    index('idx_drone_telemetry_drone_recorded_at').on(t.droneId, t.recordedAt.desc()),
    index('idx_drone_telemetry_recorded_at').using('brin', t.recordedAt),
    check('drone_telemetry_lat_check', sql`${t.lat} BETWEEN -90 AND 90`),
    check('drone_telemetry_lon_check', sql`${t.lon} BETWEEN -180 AND 180`),
    check('drone_telemetry_altitude_check', sql`${t.altitudeM} IS NULL OR ${t.altitudeM} BETWEEN -500 AND 10000`),
    check('drone_telemetry_heading_check', sql`${t.headingDeg} IS NULL OR ${t.headingDeg} BETWEEN 0 AND 360`),
    check('drone_telemetry_speed_check', sql`${t.speedMps} IS NULL OR ${t.speedMps} >= 0`),
    check('drone_telemetry_battery_check', sql`${t.batteryLevel} BETWEEN 0 AND 100`),
    check('drone_telemetry_status_check', sql`${t.status} IS NULL OR ${t.status} IN (${inList(DRONE_STATUSES)})`),
  ],
);

/**
 * Addition: when each drone was online, as sessions of readings at most the offline timeout
 * apart. Kept by recordTelemetry as readings arrive, so fleet utilization reads a few rows per
 * drone and day instead of every reading. Sessions may touch or overlap (late readings); they
 * are unioned when summed.
 */
export const droneOnlineSessions = pgTable(
  'drone_online_sessions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    droneId: uuid('drone_id')
      .notNull()
      .references(() => drones.id, { onDelete: 'cascade' }),
    startedAt: tstz('started_at').notNull(),
    endedAt: tstz('ended_at').notNull(),
  },
  (t) => [
    // Neither index holds ended_at in a B-tree, so the update that extends an open session at
    // every reading is a HOT update (no index entries; a BRIN index does not prevent HOT).
    index('idx_drone_online_sessions_drone_started').on(t.droneId, t.startedAt.desc()),
    index('idx_drone_online_sessions_ended').using('brin', t.endedAt),
    check('drone_online_sessions_range_check', sql`${t.endedAt} >= ${t.startedAt}`),
  ],
);

/**
 * Addition: the notification outbox. A row is written in the transaction of the status change
 * that causes it, so a crash between the change and the send loses nothing; dedupe_key makes
 * one notification per order state (replaying an event never notifies twice). The in-app
 * channel is the row itself (read_at); the push channel keeps its own delivery state.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuidPk(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 50 }).$type<NotificationKind>().notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<{ order_id?: string; link: string }>().notNull(),
    dedupeKey: varchar('dedupe_key', { length: 200 }).notNull().unique('notifications_dedupe_key_key'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    readAt: tstz('read_at'),
    pushStatus: varchar('push_status', { length: 20 }).$type<PushStatus>().notNull().default('pending'),
    pushAttempts: integer('push_attempts').notNull().default(0),
    pushNextAttemptAt: tstz('push_next_attempt_at').notNull().defaultNow(),
    pushLastError: text('push_last_error'),
    pushSentAt: tstz('push_sent_at'),
  },
  (t) => [
    index('idx_notifications_user_created').on(t.userId, t.createdAt.desc()),
    index('idx_notifications_user_unread')
      .on(t.userId)
      .where(sql`${t.readAt} IS NULL`),
    index('idx_notifications_push_due')
      .on(t.pushNextAttemptAt)
      .where(sql`${t.pushStatus} = 'pending'`),
    index('idx_notifications_order_id').on(t.orderId),
    check('notifications_kind_check', sql`${t.kind} IN (${inList(NOTIFICATION_KINDS)})`),
    check('notifications_push_status_check', sql`${t.pushStatus} IN (${inList(PUSH_STATUSES)})`),
    check('notifications_push_attempts_check', sql`${t.pushAttempts} >= 0`),
    check('notifications_body_check', sql`length(${t.body}) BETWEEN 1 AND 1000 AND length(${t.title}) >= 1`),
    // An on-site path: '/x', never '//host' or '/\\host' (which browsers read as another site).
    check('notifications_link_check', sql`${t.data} ? 'link' AND ${t.data}->>'link' ~ '^/([^/\\\\]|$)'`),
  ],
);

/** The order and delivery timeline: every status change, who made it, and why. Append-only. */
export const deliveryEvents = pgTable(
  'delivery_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    deliveryId: uuid('delivery_id').references(() => deliveries.id, { onDelete: 'cascade' }),
    entity: varchar('entity', { length: 20 }).$type<(typeof EVENT_ENTITIES)[number]>().notNull(),
    event: varchar('event', { length: 50 }).$type<TimelineEvent>().notNull(),
    fromStatus: varchar('from_status', { length: 50 }),
    toStatus: varchar('to_status', { length: 50 }),
    actorType: varchar('actor_type', { length: 20 }).$type<EventActor>().notNull(),
    actorId: uuid('actor_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_delivery_events_order_id_created_at').on(t.orderId, t.createdAt),
    index('idx_delivery_events_delivery_id').on(t.deliveryId),
    index('idx_delivery_events_created_at').on(t.createdAt),
    check('delivery_events_entity_check', sql`${t.entity} IN (${inList(EVENT_ENTITIES)})`),
    check('delivery_events_actor_type_check', sql`${t.actorType} IN (${inList(EVENT_ACTORS)})`),
    check('delivery_events_delivery_entity_check', sql`${t.entity} <> 'delivery' OR ${t.deliveryId} IS NOT NULL`),
    check('delivery_events_details_check', sql`jsonb_typeof(${t.details}) = 'object'`),
  ],
);

/**
 * Fixed-window rate limiting (SMS code requests per phone and per client IP). One row per
 * bucket, key and window; incremented atomically with INSERT ... ON CONFLICT DO UPDATE.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    bucket: varchar('bucket', { length: 50 }).notNull(),
    key: varchar('key', { length: 255 }).notNull(),
    windowStart: tstz('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'rate_limit_counters_pkey', columns: [t.bucket, t.key, t.windowStart] }),
    index('idx_rate_limit_counters_window_start').on(t.windowStart),
    check('rate_limit_counters_count_check', sql`${t.count} >= 0`),
  ],
);

/**
 * Append-only record of every admin action (reference-fleet-database-design.md §4.11): who,
 * what, on which object, before and after, from where. A trigger refuses UPDATE and DELETE.
 * Device keys are never written here.
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign key: the trail outlives the account (user_email keeps who it was).
    userId: uuid('user_id'),
    userEmail: varchar('user_email', { length: 255 }),
    action: varchar('action', { length: 100 }).notNull(),
    resourceType: varchar('resource_type', { length: 50 }),
    resourceId: uuid('resource_id'),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    timestamp: tstz('timestamp').notNull().defaultNow(),
    ipAddress: varchar('ip_address', { length: 64 }),
    userAgent: text('user_agent'),
    success: boolean('success').notNull(),
    failureReason: text('failure_reason'),
  },
  (t) => [
    index('idx_audit_logs_user').on(t.userId),
    index('idx_audit_logs_timestamp').on(t.timestamp.desc()),
    index('idx_audit_logs_action').on(t.action),
    index('idx_audit_logs_resource').on(t.resourceType, t.resourceId),
    check('audit_logs_failure_reason_check', sql`${t.success} OR ${t.failureReason} IS NOT NULL`),
  ],
);

/**
 * Addition: an operator's acknowledgement of an alert, with a note. Alerts themselves are
 * derived from the data, never stored; an acknowledgement names the alert by kind and object
 * and covers it while its condition lasts: it counts only when made at or after the
 * condition's onset (db/queries/alerts.ts), so a condition that clears and comes back is a new,
 * open alert. Rows are kept as history; the audit log has the same fact.
 */
export const alertAcknowledgements = pgTable(
  'alert_acknowledgements',
  {
    id: uuidPk(),
    kind: varchar('kind', { length: 50 }).$type<AlertKind>().notNull(),
    // A drone, a locker or an order, depending on the kind; no foreign key, so the history
    // outlives the object (as the audit log does).
    objectId: uuid('object_id').notNull(),
    // The condition's onset as it was when acknowledged (null when it is not known).
    conditionSince: tstz('condition_since'),
    note: varchar('note', { length: 500 }).notNull(),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
    acknowledgedAt: tstz('acknowledged_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_alert_acknowledgements_object').on(t.kind, t.objectId, t.acknowledgedAt.desc()),
    check('alert_acknowledgements_kind_check', sql`${t.kind} IN (${inList(ALERT_KINDS)})`),
    check('alert_acknowledgements_note_check', sql`length(btrim(${t.note})) > 0`),
  ],
);

export const usersRelations = relations(users, ({ many }) => ({
  devices: many(userDevices),
  orders: many(orders),
}));

export const userDevicesRelations = relations(userDevices, ({ one }) => ({
  user: one(users, { fields: [userDevices.userId], references: [users.id] }),
}));

export const parcelAutomatsRelations = relations(parcelAutomats, ({ many }) => ({
  cellsOut: many(lockerCellsOut),
  cellsInternal: many(lockerCellsInternal),
  orders: many(orders),
}));

export const lockerCellsOutRelations = relations(lockerCellsOut, ({ one }) => ({
  automat: one(parcelAutomats, { fields: [lockerCellsOut.postId], references: [parcelAutomats.id] }),
}));

export const lockerCellsInternalRelations = relations(lockerCellsInternal, ({ one }) => ({
  automat: one(parcelAutomats, { fields: [lockerCellsInternal.postId], references: [parcelAutomats.id] }),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  user: one(users, { fields: [orders.userId], references: [users.id] }),
  good: one(goods, { fields: [orders.goodId], references: [goods.id] }),
  automat: one(parcelAutomats, { fields: [orders.parcelAutomatId], references: [parcelAutomats.id] }),
  cell: one(lockerCellsOut, { fields: [orders.lockerCellId], references: [lockerCellsOut.id] }),
  deliveries: many(deliveries),
  events: many(deliveryEvents),
}));

export const deliveriesRelations = relations(deliveries, ({ one }) => ({
  order: one(orders, { fields: [deliveries.orderId], references: [orders.id] }),
  drone: one(drones, { fields: [deliveries.droneId], references: [drones.id] }),
  automat: one(parcelAutomats, { fields: [deliveries.parcelAutomatId], references: [parcelAutomats.id] }),
  internalCell: one(lockerCellsInternal, {
    fields: [deliveries.internalLockerCellId],
    references: [lockerCellsInternal.id],
  }),
}));

export const deliveryEventsRelations = relations(deliveryEvents, ({ one }) => ({
  order: one(orders, { fields: [deliveryEvents.orderId], references: [orders.id] }),
  delivery: one(deliveries, { fields: [deliveryEvents.deliveryId], references: [deliveries.id] }),
}));

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Good = typeof goods.$inferSelect;
export type Drone = typeof drones.$inferSelect;
export type ParcelAutomat = typeof parcelAutomats.$inferSelect;
export type LockerCellOut = typeof lockerCellsOut.$inferSelect;
export type LockerCellInternal = typeof lockerCellsInternal.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
export type DeliveryEvent = typeof deliveryEvents.$inferSelect;
export type NewDeliveryEvent = typeof deliveryEvents.$inferInsert;
export type DroneTelemetry = typeof droneTelemetry.$inferSelect;
export type AuditLog = typeof auditLogs.$inferSelect;
