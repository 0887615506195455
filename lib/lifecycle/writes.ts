import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db';
import {
  deliveries,
  drones,
  lockerCellsInternal,
  lockerCellsOut,
  orders,
  type CellStatus,
  type Delivery,
  type DeliveryStatus,
  type DroneStatus,
  type Order,
  type OrderStatus,
} from '@/db/schema';
import { assertTransition, sourcesOf } from './machine';

// The only code that writes a status column (tests/state-machine.test.ts fails on any other
// `.set({ status })` or `UPDATE ... SET status`). Each writer checks the edge against the
// machine (lib/lifecycle/machine.ts) and updates only a row still in the status it was read
// in, so a write can never take an edge the machine lacks. The callers hold the row locks
// (lib/orders/locks.ts) and make the domain's checks with their own, more helpful messages
// first; these checks are the floor under them.

/** The order columns that change with its status: the pickup cell, and the PIN a pickup spends. */
type OrderColumns = { lockerCellId?: string; pickupPin?: null };

/** Orders moved together from one status to another, with the columns that change with it. */
export async function moveOrders(
  tx: Tx,
  {
    ids,
    from,
    to,
    now,
    set = {},
  }: {
    ids: readonly string[];
    from: OrderStatus;
    to: OrderStatus;
    now: Date;
    set?: OrderColumns;
  },
): Promise<Order[]> {
  assertTransition('order', from, to);
  if (ids.length === 0) return [];
  const rows = await tx
    .update(orders)
    .set({ ...set, status: to, updatedAt: now })
    .where(and(inArray(orders.id, [...ids]), eq(orders.status, from)))
    .returning();
  if (rows.length !== ids.length)
    throw new Error(`moveOrders: ${rows.length} of ${ids.length} orders were still ${from} (they are locked)`);
  return rows;
}

/** One order, from the status it was locked in. */
export async function moveOrder(
  tx: Tx,
  { order, ...move }: { order: { id: string; status: OrderStatus }; to: OrderStatus; now: Date; set?: OrderColumns },
): Promise<Order> {
  const [row] = await moveOrders(tx, { ids: [order.id], from: order.status, ...move });
  return row!;
}

/** One delivery, from the status it was locked in, with the columns that change with it. */
export async function moveDelivery(
  tx: Tx,
  {
    delivery,
    to,
    now,
    set = {},
  }: {
    delivery: { id: string; status: DeliveryStatus };
    to: DeliveryStatus;
    now: Date;
    set?: { startedAt?: Date; completedAt?: Date; failureReason?: string };
  },
): Promise<Delivery> {
  assertTransition('delivery', delivery.status, to);
  const [row] = await tx
    .update(deliveries)
    .set({ ...set, status: to, updatedAt: now })
    .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, delivery.status)))
    .returning();
  if (!row) throw new Error(`moveDelivery: delivery ${delivery.id} was no longer ${delivery.status} (it is locked)`);
  return row;
}

/**
 * A drone to `to`, if it is in one of `from` (each an edge of the machine; by default every
 * status the machine leads from to `to`). A drone in another status is left as it is: the
 * write says whether it happened.
 */
export async function moveDrone(
  tx: Tx,
  { id, to, now, from = sourcesOf('drone', to) }: { id: string; to: DroneStatus; now: Date; from?: DroneStatus[] },
): Promise<boolean> {
  for (const f of from) assertTransition('drone', f, to);
  const rows = await tx
    .update(drones)
    .set({ status: to, updatedAt: now })
    .where(and(eq(drones.id, id), inArray(drones.status, from)))
    .returning({ id: drones.id });
  return rows.length > 0;
}

export type CellKind = 'external' | 'internal';
const cellTable = (kind: CellKind) => (kind === 'external' ? lockerCellsOut : lockerCellsInternal);

/**
 * A cell of either kind to `to`, if it is in one of `from` (each an edge of the machine; by
 * default every status the machine leads from to `to`). Returns the cell as written, or
 * undefined when it was in another status (for a reservation: another order took it first).
 */
export async function moveCell(
  tx: Tx,
  { kind, id, to, from = sourcesOf('cell', to) }: { kind: CellKind; id: string; to: CellStatus; from?: CellStatus[] },
): Promise<{ id: string; cellNumber: number | null } | undefined> {
  for (const f of from) assertTransition('cell', f, to);
  const table = cellTable(kind);
  const [row] = await tx
    .update(table)
    .set({ status: to })
    .where(and(eq(table.id, id), inArray(table.status, from)))
    .returning({ id: table.id, cellNumber: table.cellNumber });
  return row;
}
