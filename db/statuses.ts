// The vocabularies of the data: the statuses of drones, cells, orders and deliveries and the
// named sets of them, the timeline's actors, the notification kinds and the push platforms, as
// plain constants with no dependency: db/schema.ts builds its checks and partial indexes from
// them, and the response schemas and client components import them too (without pulling
// Drizzle into the browser).

export const DRONE_STATUSES = ['idle', 'busy', 'charging', 'maintenance', 'offline'] as const;
export const CELL_STATUSES = ['available', 'occupied', 'reserved', 'maintenance'] as const;
export const ORDER_STATUSES = ['pending', 'processing', 'delivered', 'completed', 'cancelled'] as const;
export const DELIVERY_STATUSES = ['pending', 'assigned', 'in_progress', 'delivered', 'completed', 'failed'] as const;

/** The platforms a push token is registered for. */
export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;

/** What a customer is notified of (the outbox's and the inbox's kinds). */
export const NOTIFICATION_KINDS = [
  'order_assigned',
  'order_ready',
  'order_collected',
  'order_cancelled',
  'order_failed',
  'order_reopened',
  'pickup_reminder',
  'pickup_code_expiring',
] as const;

/** Who changed an order or a delivery, on its timeline row. */
export const EVENT_ACTORS = ['system', 'worker', 'customer', 'admin', 'drone', 'automat'] as const;

/** The statuses a drone may report in its telemetry (the others are the system's to set). */
export const REPORTED_DRONE_STATUSES = ['idle', 'charging', 'maintenance'] as const;

export type DroneStatus = (typeof DRONE_STATUSES)[number];
export type CellStatus = (typeof CELL_STATUSES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type EventActor = (typeof EVENT_ACTORS)[number];

// Named sets of statuses, each defined once: the code, and the partial indexes and checks of
// db/schema.ts, read these (in SQL through its sqlList), never a literal list of their own.
/** Deliveries that still hold a drone and an order (the spec's "active delivery"). */
export const ACTIVE_DELIVERY_STATUSES = ['pending', 'assigned', 'in_progress'] as const;
/** Deliveries a drone has: assigned to it, or flying. */
export const DRONE_HELD_DELIVERY_STATUSES = ['assigned', 'in_progress'] as const;
/** Deliveries on their way to the locker or in its drop cell: what a locker expects, what a customer tracks. */
export const EN_ROUTE_DELIVERY_STATUSES = ['assigned', 'in_progress', 'delivered'] as const;
/** Deliveries that hold their internal (drop) cell, until the locker moves the parcel out. */
export const DROP_CELL_DELIVERY_STATUSES = ['pending', 'assigned', 'in_progress', 'delivered'] as const;
/** Orders an operator may cancel: waiting for a drone, or on their way. */
export const ADMIN_CANCELLABLE_ORDER_STATUSES = ['pending', 'processing'] as const;
/** Orders whose parcel reached the locker: in its pickup cell, or collected from it. */
export const IN_LOCKER_ORDER_STATUSES = ['delivered', 'completed'] as const;
/** Cells with a parcel in them or promised to them: what a cancelled order gives back. */
export const HELD_CELL_STATUSES = ['reserved', 'occupied'] as const;
/** Cells with no parcel in them and none promised to them. */
export const EMPTY_CELL_STATUSES = ['available', 'maintenance'] as const;
/** Orders that still hold their external cell. */
export const CELL_HOLDING_ORDER_STATUSES = ['pending', 'processing', 'delivered'] as const;

/**
 * A set's SQL text, `'a', 'b'`: literals, so the planner matches the partial indexes built on the
 * same lists. Only for these constants, never for input (db/schema.ts's sqlList wraps it for Drizzle).
 */
export const sqlLiterals = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
