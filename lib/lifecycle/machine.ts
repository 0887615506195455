import type { CellStatus, DeliveryStatus, DroneStatus, EventActor, OrderStatus } from '@/db/statuses';
import { invalidTransition } from '@/lib/errors';

// The state machines of orders, deliveries, drones and cells, as data: every status change the
// system makes is one edge below. The writers in lib/lifecycle/writes.ts are the only code that
// sets a status column, and each write asks assertTransition first; the two SQL functions that
// write statuses in bulk are listed in SQL_STATUS_WRITERS with the edges they take.
// tests/state-machine.test.ts fails if a status is written anywhere else, or if a SQL function
// takes an edge that is not here. The diagrams in the README and docs/architecture.md are drawn
// from these tables (lib/lifecycle/diagram.ts, npm run docs), so they cannot drift. Client-safe: data and types only.

export type Edge<S extends string, E extends string> = {
  /** null: the row is created in this status. */
  from: S | null;
  to: S;
  /** The timeline event written with it (orders and deliveries), or what the change is called. */
  event: E;
  by: readonly EventActor[];
};

/** The order's timeline events that change its status. */
export type OrderEvent = 'created' | 'assigned' | 'requeued' | 'in_locker' | 'collected' | 'cancelled' | 'reopened';
/** The delivery's timeline events (each changes its status). */
export type DeliveryEvent = 'assigned' | 'started' | 'dropped' | 'failed' | 'transferred';
/** Every event a timeline row may carry: the status changes, and an operator's request to dispatch now. */
export type TimelineEvent = OrderEvent | DeliveryEvent | 'dispatch_requested';

export type DroneChange =
  'registered' | 'assigned' | 'released' | 'silent' | 'reported' | 'maintenance' | 'back_in_service';
export type CellChange = 'added' | 'reserved' | 'filled' | 'released' | 'emptied' | 'maintenance' | 'back_in_service';

export const ORDER_MACHINE: readonly Edge<OrderStatus, OrderEvent>[] = [
  { from: null, to: 'pending', event: 'created', by: ['customer'] },
  { from: 'pending', to: 'processing', event: 'assigned', by: ['worker'] },
  // A failed delivery puts the order back in the queue for another drone.
  { from: 'processing', to: 'pending', event: 'requeued', by: ['drone', 'worker'] },
  { from: 'processing', to: 'delivered', event: 'in_locker', by: ['automat'] },
  // Collected with the QR code or the PIN, or handed over by staff.
  { from: 'delivered', to: 'completed', event: 'collected', by: ['customer', 'admin'] },
  { from: 'pending', to: 'cancelled', event: 'cancelled', by: ['customer', 'admin'] },
  // An operator, or the last allowed delivery failure.
  { from: 'processing', to: 'cancelled', event: 'cancelled', by: ['admin', 'system'] },
  { from: 'cancelled', to: 'pending', event: 'reopened', by: ['admin'] },
];

export const DELIVERY_MACHINE: readonly Edge<DeliveryStatus, DeliveryEvent>[] = [
  { from: null, to: 'assigned', event: 'assigned', by: ['worker'] },
  { from: 'assigned', to: 'in_progress', event: 'started', by: ['drone'] },
  { from: 'in_progress', to: 'delivered', event: 'dropped', by: ['drone'] },
  { from: 'delivered', to: 'completed', event: 'transferred', by: ['automat'] },
  // The drone reports a failure, the worker finds it stuck or its drone silent, or an operator
  // cancels the order. A `pending` delivery (the column's default) is never written by the
  // system, but one would still be released this way.
  { from: 'pending', to: 'failed', event: 'failed', by: ['admin'] },
  { from: 'assigned', to: 'failed', event: 'failed', by: ['drone', 'worker', 'admin'] },
  { from: 'in_progress', to: 'failed', event: 'failed', by: ['drone', 'worker', 'admin'] },
];

export const DRONE_MACHINE: readonly Edge<DroneStatus, DroneChange>[] = [
  // Registered offline: the worker assigns it only once it has reported.
  { from: null, to: 'offline', event: 'registered', by: ['admin'] },
  { from: 'idle', to: 'busy', event: 'assigned', by: ['worker'] },
  // Its parcel is in the drop cell, or its delivery ended without it.
  { from: 'busy', to: 'idle', event: 'released', by: ['drone', 'worker', 'admin'] },
  { from: 'idle', to: 'offline', event: 'silent', by: ['worker'] },
  { from: 'busy', to: 'offline', event: 'silent', by: ['worker'] },
  { from: 'charging', to: 'offline', event: 'silent', by: ['worker'] },
  // Telemetry: the status the drone reports (idle, charging or maintenance), and a drone that
  // was offline is back (idle unless it says otherwise).
  { from: 'offline', to: 'idle', event: 'reported', by: ['drone'] },
  { from: 'offline', to: 'charging', event: 'reported', by: ['drone'] },
  { from: 'idle', to: 'charging', event: 'reported', by: ['drone'] },
  { from: 'charging', to: 'idle', event: 'reported', by: ['drone'] },
  { from: 'idle', to: 'maintenance', event: 'maintenance', by: ['drone', 'admin'] },
  { from: 'charging', to: 'maintenance', event: 'maintenance', by: ['drone', 'admin'] },
  { from: 'offline', to: 'maintenance', event: 'maintenance', by: ['drone', 'admin'] },
  // Only an operator ends maintenance.
  { from: 'maintenance', to: 'idle', event: 'back_in_service', by: ['admin'] },
];

/** One machine for both kinds of cell: pickup cells (locker_cells_out) and drop cells (locker_cells_internal). */
export const CELL_MACHINE: readonly Edge<CellStatus, CellChange>[] = [
  { from: null, to: 'available', event: 'added', by: ['admin'] },
  // A pickup cell for a new or reopened order, a drop cell (and a pickup cell if the order has
  // none) for an assignment, or a pickup cell at transfer for an order that had none.
  { from: 'available', to: 'reserved', event: 'reserved', by: ['customer', 'worker', 'admin', 'automat'] },
  // The drone dropped the parcel (drop cell); the locker moved it to the pickup cell.
  { from: 'reserved', to: 'occupied', event: 'filled', by: ['drone', 'automat'] },
  // The order was cancelled, or its delivery failed.
  { from: 'reserved', to: 'available', event: 'released', by: ['customer', 'admin', 'worker', 'drone', 'system'] },
  // The locker moved the parcel on (drop cell); the customer collected it (pickup cell).
  { from: 'occupied', to: 'available', event: 'emptied', by: ['automat', 'customer', 'admin'] },
  { from: 'available', to: 'maintenance', event: 'maintenance', by: ['admin'] },
  { from: 'maintenance', to: 'available', event: 'back_in_service', by: ['admin'] },
];

export const MACHINES = {
  order: ORDER_MACHINE,
  delivery: DELIVERY_MACHINE,
  drone: DRONE_MACHINE,
  cell: CELL_MACHINE,
} as const;

export type MachineName = keyof typeof MACHINES;
export type StatusOf<M extends MachineName> = {
  order: OrderStatus;
  delivery: DeliveryStatus;
  drone: DroneStatus;
  cell: CellStatus;
}[M];

const NOUN: Record<MachineName, string> = {
  order: 'An order',
  delivery: 'A delivery',
  drone: 'A drone',
  cell: 'A cell',
};

/** Whether the machine has this edge (staying in the same status is no change, and always allowed). */
export function canTransition<M extends MachineName>(machine: M, from: StatusOf<M>, to: StatusOf<M>): boolean {
  if (from === to) return true;
  return (MACHINES[machine] as readonly Edge<string, string>[]).some((e) => e.from === from && e.to === to);
}

/** Throws invalid_transition (409) unless the machine has the edge from → to. */
export function assertTransition<M extends MachineName>(machine: M, from: StatusOf<M>, to: StatusOf<M>): void {
  if (!canTransition(machine, from, to))
    throw invalidTransition(`${NOUN[machine]} that is ${from} cannot become ${to}.`);
}

/** Whether the machine's edge from → to is the one this timeline event names (null: the row was created). */
export function isEdgeEvent(
  machine: 'order' | 'delivery',
  { from, to, event }: { from: string | null; to: string; event: TimelineEvent },
) {
  return (MACHINES[machine] as readonly Edge<string, string>[]).some(
    (e) => e.from === from && e.to === to && e.event === event,
  );
}

/** The statuses from which `to` may be reached, `to` itself included: what a writer may find in the row. */
export function sourcesOf<M extends MachineName>(machine: M, to: StatusOf<M>): StatusOf<M>[] {
  const edges = MACHINES[machine] as readonly Edge<StatusOf<M>, string>[];
  const from = edges.filter((e) => e.to === to && e.from !== null).map((e) => e.from as StatusOf<M>);
  return [...new Set([...from, to])];
}

/** The statuses a named change leads from (for example the drone statuses that go offline when silent). */
export function edgeSources<M extends MachineName>(machine: M, event: string): StatusOf<M>[] {
  const edges = MACHINES[machine] as readonly Edge<StatusOf<M>, string>[];
  return [...new Set(edges.filter((e) => e.event === event && e.from !== null).map((e) => e.from as StatusOf<M>))];
}

/**
 * The SQL functions (migrations) that write statuses in one statement per batch, and the edges
 * each takes. tests/state-machine.test.ts reads their current definitions: every status they
 * set must be on an edge listed here, and every edge listed here must be in the machine.
 */
export const SQL_STATUS_WRITERS = [
  {
    fn: 'dispatch_assign_batch',
    writes: [
      { machine: 'order', table: 'orders', from: 'pending', to: 'processing' },
      { machine: 'drone', table: 'drones', from: 'idle', to: 'busy' },
      { machine: 'cell', table: 'locker_cells_internal', from: 'available', to: 'reserved' },
      { machine: 'cell', table: 'locker_cells_out', from: 'available', to: 'reserved' },
    ],
  },
  {
    // Computed per batch: busy while the drone has an active delivery, maintenance stays
    // maintenance, otherwise the reported status, or idle for a drone back from offline.
    fn: 'skypost_record_telemetry',
    writes: [
      { machine: 'drone', table: 'drones', from: 'offline', to: 'idle' },
      { machine: 'drone', table: 'drones', from: 'offline', to: 'charging' },
      { machine: 'drone', table: 'drones', from: 'offline', to: 'maintenance' },
      { machine: 'drone', table: 'drones', from: 'idle', to: 'charging' },
      { machine: 'drone', table: 'drones', from: 'idle', to: 'maintenance' },
      { machine: 'drone', table: 'drones', from: 'charging', to: 'idle' },
      { machine: 'drone', table: 'drones', from: 'charging', to: 'maintenance' },
      { machine: 'drone', table: 'drones', from: 'busy', to: 'idle' },
    ],
  },
] as const;
