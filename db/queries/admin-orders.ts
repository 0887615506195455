import 'server-only';
import { and, asc, desc, eq, gte, ilike, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { likeContains } from '../sql';
import {
  deliveries,
  deliveryEvents,
  drones,
  goods,
  lockerCellsOut,
  orders,
  parcelAutomats,
  users,
  type OrderStatus,
} from '../schema';

export type AdminOrderFilter = {
  status?: OrderStatus;
  automatId?: string;
  from?: Date;
  to?: Date;
  q?: string;
  page: number;
  pageSize: number;
};

export async function listOrdersAdmin(db: DbOrTx, f: AdminOrderFilter) {
  const q = f.q?.trim();
  const where = and(
    f.status ? eq(orders.status, f.status) : undefined,
    f.automatId ? eq(orders.parcelAutomatId, f.automatId) : undefined,
    f.from ? gte(orders.createdAt, f.from) : undefined,
    f.to ? lt(orders.createdAt, f.to) : undefined,
    q
      ? or(
          sql`${orders.id}::text like ${`${q.toLowerCase().replace(/[\\%_]/g, '')}%`}`,
          ilike(users.email, likeContains(q)),
          ilike(users.phoneNumber, likeContains(q)),
        )
      : undefined,
  );
  const base = db
    .select({
      id: orders.id,
      status: orders.status,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
      good: goods.name,
      customer: sql<string>`coalesce(${users.email}, ${users.phoneNumber}, ${users.fullName})`,
      automat: parcelAutomats.address,
      cellNumber: lockerCellsOut.cellNumber,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .innerJoin(goods, eq(goods.id, orders.goodId))
    .innerJoin(parcelAutomats, eq(parcelAutomats.id, orders.parcelAutomatId))
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId));
  const [rows, [total]] = await Promise.all([
    base
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function getOrderAdmin(db: DbOrTx, { id }: { id: string }) {
  const [order] = await db
    .select({
      id: orders.id,
      status: orders.status,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
      good: goods.name,
      customerName: users.fullName,
      customerEmail: users.email,
      customerPhone: users.phoneNumber,
      automat: parcelAutomats.address,
      city: parcelAutomats.city,
      cellNumber: lockerCellsOut.cellNumber,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .innerJoin(goods, eq(goods.id, orders.goodId))
    .innerJoin(parcelAutomats, eq(parcelAutomats.id, orders.parcelAutomatId))
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
    .where(eq(orders.id, id));
  if (!order) return undefined;
  const [timeline, attempts] = await Promise.all([
    db
      .select()
      .from(deliveryEvents)
      .where(eq(deliveryEvents.orderId, id))
      .orderBy(asc(deliveryEvents.createdAt), asc(deliveryEvents.id)),
    db
      .select({
        id: deliveries.id,
        status: deliveries.status,
        drone: drones.model,
        droneCallSign: drones.callSign,
        droneId: deliveries.droneId,
        failureReason: deliveries.failureReason,
        createdAt: deliveries.createdAt,
      })
      .from(deliveries)
      .leftJoin(drones, eq(drones.id, deliveries.droneId))
      .where(eq(deliveries.orderId, id))
      .orderBy(asc(deliveries.createdAt)),
  ]);
  // What the retry rule needs: the latest attempt and who made the latest cancellation.
  const lastDelivery = attempts.at(-1) ?? null;
  const cancelledBy = timeline.findLast((e) => e.entity === 'order' && e.toStatus === 'cancelled')?.actorType ?? null;
  return { ...order, timeline, attempts, lastDelivery, cancelledBy };
}

export async function listAutomatOptions(db: DbOrTx) {
  return db
    .select({ id: parcelAutomats.id, label: parcelAutomats.address })
    .from(parcelAutomats)
    .orderBy(asc(parcelAutomats.address));
}
