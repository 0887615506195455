import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/db';
import {
  CELL_HOLDING_ORDER_STATUSES,
  lockerCellsInternal,
  lockerCellsOut,
  parcelAutomats,
  type CellStatus,
} from '@/db/schema';
import { moveCell } from '@/lib/lifecycle/writes';
import { notifyDispatch } from '@/lib/dispatch/notify';
import { AppError, constraintName, invalidTransition, notFound, sqlState } from '@/lib/errors';
import { formatCoordinates, type AutomatInput, type CellKind, type CellsCreateInput } from '@/lib/validation/fleet';
import { recordAudit, type AuditContext } from './audit';
import { plural } from './plural';
import { isEmptyCell } from '@/lib/lifecycle/guards';

// Parcel automats ("lockers") and their cells, as operators manage them. Every change is one
// transaction with its audit row. number_of_cells (the spec: external + internal) is kept
// equal to the cells that exist, in the same transaction that adds or removes them.

type Automat = typeof parcelAutomats.$inferSelect;

const snapshot = (a: Automat) => ({
  city: a.city,
  address: a.address,
  coordinates: a.coordinates,
  aruco_id: a.arucoId,
  ip_address: a.ipAddress,
  is_working: a.isWorking,
  number_of_cells: a.numberOfCells,
  archived_at: a.archivedAt?.toISOString() ?? null,
});

const cellTable = (kind: CellKind) => (kind === 'external' ? lockerCellsOut : lockerCellsInternal);

function arucoTaken(arucoId: number, by?: string) {
  const message = by
    ? `ArUco id ${arucoId} is already used by ${by}. Each locker needs its own marker.`
    : `ArUco id ${arucoId} is already used by another locker.`;
  return new AppError('conflict', message, { fields: { aruco_id: message } });
}

async function assertArucoFree(tx: Tx, arucoId: number, exceptId?: string) {
  const [other] = await tx
    .select({ address: parcelAutomats.address, city: parcelAutomats.city })
    .from(parcelAutomats)
    .where(and(eq(parcelAutomats.arucoId, arucoId), exceptId ? ne(parcelAutomats.id, exceptId) : undefined));
  if (other) throw arucoTaken(arucoId, `${other.address}, ${other.city}`);
}

/** The unique index still decides a race between two operators: answer it the same way. */
async function withArucoGuard<T>(arucoId: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (constraintName(err) === 'idx_parcel_automats_aruco_id') throw arucoTaken(arucoId);
    throw err;
  }
}

const columns = (input: AutomatInput) => ({
  city: input.city,
  address: input.address,
  coordinates: formatCoordinates(input.lat, input.lon),
  arucoId: input.aruco_id,
  ipAddress: input.ip_address,
  isWorking: input.is_working,
});

export async function createAutomat(db: Db, ctx: AuditContext, input: AutomatInput): Promise<Automat> {
  return withArucoGuard(input.aruco_id, () =>
    db.transaction(async (tx) => {
      await assertArucoFree(tx, input.aruco_id);
      const [a] = await tx
        .insert(parcelAutomats)
        .values({ ...columns(input), numberOfCells: 0 })
        .returning();
      if (!a) throw new Error('Automat insert returned nothing');
      await recordAudit(tx, ctx, {
        action: 'automat.created',
        resourceType: 'automat',
        resourceId: a.id,
        after: snapshot(a),
      });
      return a;
    }),
  );
}

export async function updateAutomat(
  db: Db,
  ctx: AuditContext,
  { id, input }: { id: string; input: AutomatInput },
): Promise<Automat> {
  return withArucoGuard(input.aruco_id, () =>
    db.transaction(async (tx) => {
      const before = await lockAutomat(tx, id);
      await assertArucoFree(tx, input.aruco_id, id);
      const [after] = await tx.update(parcelAutomats).set(columns(input)).where(eq(parcelAutomats.id, id)).returning();
      if (!after) throw notFound('Parcel automat');
      await recordAudit(tx, ctx, {
        action: 'automat.updated',
        resourceType: 'automat',
        resourceId: id,
        before: snapshot(before),
        after: snapshot(after),
      });
      // Back in service: orders waiting for this locker may now be dispatched.
      if (after.isWorking && !before.isWorking) await notifyDispatch(tx, 'cell_freed');
      return after;
    }),
  );
}

/**
 * Locks the locker row against other operators' changes. FOR NO KEY UPDATE, not FOR UPDATE:
 * it must not block the foreign-key checks of orders and deliveries being written for this
 * locker (they take KEY SHARE), or a customer ordering while an operator edits cells could
 * deadlock with them.
 */
async function lockAutomat(tx: Tx, id: string): Promise<Automat> {
  const [a] = await tx.select().from(parcelAutomats).where(eq(parcelAutomats.id, id)).for('no key update');
  if (!a) throw notFound('Parcel automat');
  return a;
}

/** Recounts number_of_cells from the cells themselves (the automat row is locked by the caller). */
async function syncCellCount(tx: Tx, id: string): Promise<number> {
  const [row] = await tx
    .update(parcelAutomats)
    .set({
      numberOfCells: sql`(select count(*) from ${lockerCellsOut} where ${lockerCellsOut.postId} = ${id})
        + (select count(*) from ${lockerCellsInternal} where ${lockerCellsInternal.postId} = ${id})`,
    })
    .where(eq(parcelAutomats.id, id))
    .returning({ n: parcelAutomats.numberOfCells });
  return row?.n ?? 0;
}

/**
 * Adds `count` cells of one size, numbered on from the highest number of that kind at the
 * locker. The automat row is locked, so two operators adding cells get distinct numbers.
 */
export async function createCells(
  db: Db,
  ctx: AuditContext,
  input: CellsCreateInput,
): Promise<{ numbers: number[]; numberOfCells: number }> {
  return db.transaction(async (tx) => {
    await lockAutomat(tx, input.automat_id);
    const table = cellTable(input.kind);
    const [top] = await tx
      .select({ max: sql<number>`coalesce(max(${table.cellNumber}), 0)::int` })
      .from(table)
      .where(eq(table.postId, input.automat_id));
    const start = (top?.max ?? 0) + 1;
    const numbers = Array.from({ length: input.count }, (_, i) => start + i);
    await tx.insert(table).values(
      numbers.map((n) => ({
        postId: input.automat_id,
        cellNumber: n,
        height: input.height,
        length: input.length,
        width: input.width,
      })),
    );
    const numberOfCells = await syncCellCount(tx, input.automat_id);
    await recordAudit(tx, ctx, {
      action: 'automat.cells_created',
      resourceType: 'automat',
      resourceId: input.automat_id,
      after: {
        kind: input.kind,
        count: input.count,
        cell_numbers: numbers,
        height: input.height,
        length: input.length,
        width: input.width,
        number_of_cells: numberOfCells,
      },
    });
    if (input.kind === 'external') await notifyDispatch(tx, 'cell_freed');
    return { numbers, numberOfCells };
  });
}

type Cell = { id: string; postId: string; status: string; cellNumber: number | null };

async function lockCell(tx: Tx, kind: CellKind, id: string): Promise<Cell> {
  const table = cellTable(kind);
  const [cell] = await tx
    .select({ id: table.id, postId: table.postId, status: table.status, cellNumber: table.cellNumber })
    .from(table)
    .where(eq(table.id, id));
  if (!cell) throw notFound('Cell');
  // Lock order: automat (no key update), then cell, as createCells does.
  await lockAutomat(tx, cell.postId);
  const [locked] = await tx
    .select({ id: table.id, postId: table.postId, status: table.status, cellNumber: table.cellNumber })
    .from(table)
    .where(eq(table.id, id))
    .for('update');
  if (!locked) throw notFound('Cell');
  return locked;
}

const busyCell = (cell: Cell, doing: string) =>
  invalidTransition(
    (
      `Cell ${cell.cellNumber ?? ''} is ${cell.status}: a parcel is booked into it or inside it. ` +
      `${doing} once it is available again.`
    ).replace('  ', ' '),
  );

/**
 * Takes a cell out of service (only when it holds nothing) or puts it back. A cell under
 * maintenance is never reserved for an order or a drop.
 */
export async function setCellMaintenance(
  db: Db,
  ctx: AuditContext,
  input: { kind: CellKind; cellId: string; maintenance: boolean },
): Promise<{ status: string }> {
  return db.transaction(async (tx) => {
    const cell = await lockCell(tx, input.kind, input.cellId);
    let status = cell.status as CellStatus;
    if (input.maintenance) {
      if (!isEmptyCell(cell)) throw busyCell(cell, 'Mark it for maintenance');
      status = 'maintenance';
    } else if (cell.status === 'maintenance') {
      status = 'available';
    }
    if (status !== cell.status)
      await moveCell(tx, { kind: input.kind, id: cell.id, from: [cell.status as CellStatus], to: status });
    await recordAudit(tx, ctx, {
      action: input.maintenance ? 'cell.maintenance_on' : 'cell.maintenance_off',
      resourceType: input.kind === 'external' ? 'cell_out' : 'cell_internal',
      resourceId: cell.id,
      before: { status: cell.status },
      after: { status },
      details: { automat_id: cell.postId, cell_number: cell.cellNumber },
    });
    if (status === 'available' && cell.status !== 'available') await notifyDispatch(tx, 'cell_freed');
    return { status };
  });
}

/** Removes an empty cell (available or under maintenance); past orders keep their history without it. */
export async function deleteCell(
  db: Db,
  ctx: AuditContext,
  input: { kind: CellKind; cellId: string },
): Promise<{ numberOfCells: number }> {
  return db.transaction(async (tx) => {
    const cell = await lockCell(tx, input.kind, input.cellId);
    if (!isEmptyCell(cell)) throw busyCell(cell, 'Delete it');
    const table = cellTable(input.kind);
    await tx.delete(table).where(eq(table.id, cell.id));
    const numberOfCells = await syncCellCount(tx, cell.postId);
    await recordAudit(tx, ctx, {
      action: 'cell.deleted',
      resourceType: input.kind === 'external' ? 'cell_out' : 'cell_internal',
      resourceId: cell.id,
      before: { status: cell.status, cell_number: cell.cellNumber },
      details: { automat_id: cell.postId, number_of_cells: numberOfCells },
    });
    return { numberOfCells };
  });
}

/** A locker's cells and the orders that name it (all, and those still open), for its page. */
export async function automatDeletionImpact(db: DbOrTx, id: string) {
  const [row] = await db.execute<{ external: number; internal: number; orders: number; open: number }>(sql`
    select (select count(*)::int from locker_cells_out where post_id = ${id}) as external,
           (select count(*)::int from locker_cells_internal where post_id = ${id}) as internal,
           (select count(*)::int from orders where parcel_automat_id = ${id}) as orders,
           (select count(*)::int from orders where parcel_automat_id = ${id} and status in (${sql.join(
             CELL_HOLDING_ORDER_STATUSES.map((st) => sql`${st}`),
             sql`, `,
           )})) as open`);
  return {
    externalCells: row?.external ?? 0,
    internalCells: row?.internal ?? 0,
    orders: row?.orders ?? 0,
    openOrders: row?.open ?? 0,
  };
}

const keptForHistory = (n: number) =>
  invalidTransition(
    `${plural(n, 'order names', 'orders name')} this locker, so it is kept for customers' order history ` +
      'and cannot be deleted. Archive it instead: that takes it out of service for good and hides it from ordering ' +
      'and the map.',
  );

/**
 * Deletes a locker, with its cells, when no order names it. A locker with orders is refused
 * (archive it instead), and the database refuses it too: orders.parcel_automat_id and
 * deliveries.parcel_automat_id are ON DELETE RESTRICT. The row lock (FOR UPDATE) waits for orders
 * being placed for it (they hold a share lock on it), so the count below sees them.
 */
export async function deleteAutomat(db: Db, ctx: AuditContext, id: string) {
  try {
    return await db.transaction(async (tx) => {
      const [a] = await tx.select().from(parcelAutomats).where(eq(parcelAutomats.id, id)).for('update');
      if (!a) throw notFound('Parcel automat');
      const impact = await automatDeletionImpact(tx, id);
      if (impact.orders > 0) throw keptForHistory(impact.orders);
      await tx.delete(parcelAutomats).where(eq(parcelAutomats.id, id));
      await recordAudit(tx, ctx, {
        action: 'automat.deleted',
        resourceType: 'automat',
        resourceId: id,
        before: snapshot(a),
        details: { external_cells_deleted: impact.externalCells, internal_cells_deleted: impact.internalCells },
      });
      return impact;
    });
  } catch (err) {
    if (
      sqlState(err) === '23503' &&
      ['orders_parcel_automat_id_parcel_automats_id_fk', 'deliveries_parcel_automat_id_parcel_automats_id_fk'].includes(
        constraintName(err) ?? '',
      )
    )
      throw keptForHistory(1);
    throw err;
  }
}

/**
 * Archives a locker (out of service for good: hidden from ordering, the locker picker and the
 * map; kept, with its orders) or restores it. Archiving is refused while orders at it are
 * still open, so no drone flies to it and no parcel waits in it. The row lock serialises this
 * with orders being placed: createOrder takes a share lock on the locker and checks it.
 */
export async function setAutomatArchived(
  db: Db,
  ctx: AuditContext,
  { id, archived }: { id: string; archived: boolean },
) {
  return db.transaction(async (tx) => {
    const before = await lockAutomat(tx, id);
    if ((before.archivedAt !== null) === archived) return { archivedAt: before.archivedAt, changed: false };
    if (archived) {
      const { openOrders } = await automatDeletionImpact(tx, id);
      if (openOrders > 0) {
        throw invalidTransition(
          `${plural(openOrders, 'order', 'orders')} at this locker ${openOrders === 1 ? 'is' : 'are'} still open. ` +
            `Archive it when ${openOrders === 1 ? 'that order is' : 'they are all'} collected or cancelled.`,
        );
      }
    }
    const [after] = await tx
      .update(parcelAutomats)
      .set({ archivedAt: archived ? sql`now()` : null })
      .where(eq(parcelAutomats.id, id))
      .returning({ archivedAt: parcelAutomats.archivedAt });
    await recordAudit(tx, ctx, {
      action: archived ? 'automat.archived' : 'automat.restored',
      resourceType: 'automat',
      resourceId: id,
      before: { archived_at: before.archivedAt?.toISOString() ?? null },
      after: { archived_at: after?.archivedAt?.toISOString() ?? null },
    });
    return { archivedAt: after?.archivedAt ?? null, changed: true };
  });
}
