import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goods, lockerCellsOut, orders } from '@/db/schema';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { fitsInCell } from '@/db/fit';
import { listAutomatChoices, listCatalog } from '@/db/queries/availability';
import { choiceState, orderability } from '@/lib/orders/availability';
import { getOrderForUser, listOrdersForUser } from '@/db/queries/orders';
import { type AppError } from '@/lib/errors';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const customer = (id: string) => ({ type: 'customer' as const, id });

describe('fitsInCell (rotations allowed)', () => {
  it('fits when the sorted sides fit, whatever the orientation', () => {
    expect(fitsInCell({ height: 40, length: 25, width: 25 }, { height: 30, length: 45, width: 35 })).toBe(true);
    expect(fitsInCell({ height: 30, length: 40, width: 35 }, { height: 30, length: 40, width: 35 })).toBe(true);
    expect(fitsInCell({ height: 36, length: 10, width: 10 }, { height: 30, length: 37, width: 35 })).toBe(true);
  });
  it('does not fit when any sorted side is larger', () => {
    expect(fitsInCell({ height: 40, length: 25, width: 25 }, { height: 20, length: 40, width: 35 })).toBe(false);
    expect(fitsInCell({ height: 10, length: 41, width: 5 }, { height: 30, length: 40, width: 35 })).toBe(false);
  });
});

describe('createOrder', () => {
  it('creates a pending order, takes a unit of stock, reserves the smallest fitting cell, logs the event', async () => {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db, { height: 15, length: 30, width: 20, quantityAvailable: 4 });
    const automat = await makeAutomat(t.db, {
      external: [
        { count: 1, height: 10, length: 40, width: 35 }, // too low
        { count: 1, height: 45, length: 50, width: 40 }, // fits, large
        { count: 1, height: 20, length: 40, width: 35 }, // fits, smallest -> cell 3
      ],
    });
    const order = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: customer(user.id) },
    );
    expect(order.status).toBe('pending');
    const [cell] = await t.db.select().from(lockerCellsOut).where(eq(lockerCellsOut.id, order.lockerCellId!));
    expect(cell).toMatchObject({ cellNumber: 3, status: 'reserved' });
    const [g] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(g?.q).toBe(3);
    const detail = await getOrderForUser(t.db, { orderId: order.id, userId: user.id });
    expect(detail?.timeline.map((e) => [e.event, e.toStatus, e.actorType])).toEqual([
      ['created', 'pending', 'customer'],
    ]);
    expect(detail?.cellNumber).toBeNull(); // not revealed before delivery
  });

  it('404 for unknown goods/automats, 409 no_capacity for closed, full or too-small automats; no change', async () => {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db, { height: 40, length: 25, width: 25, quantityAvailable: 5 });
    const small = await makeAutomat(t.db, { external: [{ count: 3, height: 20, length: 40, width: 35 }] });
    const closed = await makeAutomat(t.db, {
      isWorking: false,
      external: [{ count: 3, height: 45, length: 50, width: 40 }],
    });
    const actor = customer(user.id);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(
      (await rejection(createOrder(t.db, { userId: user.id, goodId: missing, automatId: small.id }, { actor }))).status,
    ).toBe(404);
    expect(
      (await rejection(createOrder(t.db, { userId: user.id, goodId: good.id, automatId: missing }, { actor }))).status,
    ).toBe(404);
    const closedErr = await rejection(
      createOrder(t.db, { userId: user.id, goodId: good.id, automatId: closed.id }, { actor }),
    );
    expect([closedErr.status, closedErr.code]).toEqual([409, 'no_capacity']);
    const smallErr = await rejection(
      createOrder(t.db, { userId: user.id, goodId: good.id, automatId: small.id }, { actor }),
    );
    expect([smallErr.status, smallErr.code]).toEqual([409, 'no_capacity']);

    const [g] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(g?.q).toBe(5); // the rolled-back transaction restored the unit it took
    const [n] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(eq(orders.userId, user.id));
    expect(n?.n).toBe(0);
  });

  it('never oversells: 50 parallel orders, stock 10 -> 10 orders, 40 out_of_stock, stock 0, unique cells', async () => {
    const good = await makeGood(t.db, { quantityAvailable: 10 });
    const automat = await makeAutomat(t.db, { external: [{ count: 60 }] });
    const buyers = await Promise.all(Array.from({ length: 50 }, () => makeUser(t.db)));
    const results = await Promise.allSettled(
      buyers.map((u) =>
        createOrder(t.db, { userId: u.id, goodId: good.id, automatId: automat.id }, { actor: customer(u.id) }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(failed).toHaveLength(40);
    for (const f of failed) expect(f.reason).toMatchObject({ code: 'out_of_stock', status: 409 });
    const [state] = await t.sql<{ stock: number; orders: number; cells: number; reserved: number }[]>`
      select (select quantity_available from goods where id = ${good.id}) as stock,
             (select count(*)::int from orders where good_id = ${good.id}) as orders,
             (select count(distinct locker_cell_id)::int from orders where good_id = ${good.id}) as cells,
             (select count(*)::int from locker_cells_out
               where post_id = ${automat.id} and status = 'reserved') as reserved`;
    expect(state).toEqual({ stock: 0, orders: 10, cells: 10, reserved: 10 });
  });

  it('never double-books a cell: 12 parallel orders into 5 cells -> 5 orders, 7 no_capacity', async () => {
    const good = await makeGood(t.db, { quantityAvailable: 100 });
    const automat = await makeAutomat(t.db, { external: [{ count: 5 }] });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => makeUser(t.db)));
    const results = await Promise.allSettled(
      buyers.map((u) =>
        createOrder(t.db, { userId: u.id, goodId: good.id, automatId: automat.id }, { actor: customer(u.id) }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as AppError).code)).toEqual(Array(7).fill('no_capacity'));
    const [g] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(g?.q).toBe(95);
  });
});

describe('cancelOrder', () => {
  it('cancels a pending order: stock back, cell released, event written', async () => {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db, { quantityAvailable: 1 });
    const automat = await makeAutomat(t.db, { external: [{ count: 1 }] });
    const order = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: customer(user.id) },
    );
    const cancelled = await cancelOrder(t.db, { orderId: order.id, userId: user.id }, customer(user.id));
    expect(cancelled.status).toBe('cancelled');
    const [g] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(g?.q).toBe(1);
    const [cell] = await t.db
      .select({ status: lockerCellsOut.status })
      .from(lockerCellsOut)
      .where(eq(lockerCellsOut.id, order.lockerCellId!));
    expect(cell?.status).toBe('available');
    const detail = await getOrderForUser(t.db, { orderId: order.id, userId: user.id });
    expect(detail?.timeline.map((e) => `${e.event}:${e.fromStatus ?? ''}->${e.toStatus}`)).toEqual([
      'created:->pending',
      'cancelled:pending->cancelled',
    ]);
    // The released unit and cell can be ordered again.
    await createOrder(t.db, { userId: user.id, goodId: good.id, automatId: automat.id }, { actor: customer(user.id) });
  });

  it('refuses to cancel twice, a non-pending order or another customer’s order (404), without changes', async () => {
    const owner = await makeUser(t.db);
    const other = await makeUser(t.db);
    const good = await makeGood(t.db, { quantityAvailable: 5 });
    const automat = await makeAutomat(t.db);
    const a = await createOrder(
      t.db,
      { userId: owner.id, goodId: good.id, automatId: automat.id },
      { actor: customer(owner.id) },
    );
    const b = await createOrder(
      t.db,
      { userId: owner.id, goodId: good.id, automatId: automat.id },
      { actor: customer(owner.id) },
    );

    const foreign = await rejection(cancelOrder(t.db, { orderId: a.id, userId: other.id }, customer(other.id)));
    expect([foreign.status, foreign.code]).toEqual([404, 'not_found']);

    await cancelOrder(t.db, { orderId: a.id, userId: owner.id }, customer(owner.id));
    const twice = await rejection(cancelOrder(t.db, { orderId: a.id, userId: owner.id }, customer(owner.id)));
    expect([twice.status, twice.code]).toEqual([409, 'invalid_transition']);

    await t.db.update(orders).set({ status: 'processing' }).where(eq(orders.id, b.id));
    const inFlight = await rejection(cancelOrder(t.db, { orderId: b.id, userId: owner.id }, customer(owner.id)));
    expect([inFlight.status, inFlight.code]).toEqual([409, 'invalid_transition']);
    const [g] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(g?.q).toBe(4); // 5 - 2 + 1 (only the one real cancellation restored stock)
  });
});

describe('availability', () => {
  it('explains for each automat why it can or cannot take a good', async () => {
    const good = await makeGood(t.db, { height: 40, length: 25, width: 25, quantityAvailable: 3 });
    const ok = await makeAutomat(t.db, { external: [{ count: 2, height: 45, length: 50, width: 40 }] });
    const full = await makeAutomat(t.db, { external: [{ count: 1, height: 45, length: 50, width: 40 }] });
    await t.db.update(lockerCellsOut).set({ status: 'occupied' }).where(eq(lockerCellsOut.postId, full.id));
    const tiny = await makeAutomat(t.db, { external: [{ count: 4, height: 10, length: 40, width: 35 }] });
    const closed = await makeAutomat(t.db, {
      isWorking: false,
      external: [{ count: 2, height: 45, length: 50, width: 40 }],
    });
    const choices = new Map((await listAutomatChoices(t.db, good)).map((c) => [c.id, choiceState(c)]));
    expect(choices.get(ok.id)).toEqual({ selectable: true });
    expect(choices.get(full.id)).toEqual({
      selectable: false,
      code: 'full',
      reason: 'No free cell for this size right now',
    });
    expect(choices.get(tiny.id)).toEqual({
      selectable: false,
      code: 'too_small',
      reason: 'Cells here are too small for this item',
    });
    expect(choices.get(closed.id)).toEqual({ selectable: false, code: 'closed', reason: 'Temporarily closed' });

    const [entry] = await listCatalog(t.db, { goodId: good.id });
    expect(entry?.orderableAt).toBeGreaterThanOrEqual(1);
    expect(orderability(entry!)).toEqual({ orderable: true });
    expect(orderability({ quantityAvailable: 0, orderableAt: 3, fitsAt: 3 })).toEqual({
      orderable: false,
      code: 'out_of_stock',
      reason: 'Out of stock',
    });
    expect(orderability({ quantityAvailable: 5, orderableAt: 0, fitsAt: 0 })).toEqual({
      orderable: false,
      code: 'too_large',
      reason: 'Too large for our parcel lockers',
    });
    expect(orderability({ quantityAvailable: 5, orderableAt: 0, fitsAt: 2 })).toEqual({
      orderable: false,
      code: 'lockers_full',
      reason: 'Every locker it fits in is full right now',
    });
  });

  it('catalog search matches names case-insensitively and treats % and _ literally', async () => {
    await makeGood(t.db, { name: 'Tea 100% Organic' });
    await makeGood(t.db, { name: 'Tea Strainer' });
    expect((await listCatalog(t.db, { query: 'tea' })).map((g) => g.name)).toEqual(
      expect.arrayContaining(['Tea 100% Organic', 'Tea Strainer']),
    );
    expect((await listCatalog(t.db, { query: '100%' })).map((g) => g.name)).toEqual(['Tea 100% Organic']);
    expect(await listCatalog(t.db, { query: '_' })).toEqual([]);
  });

  it('lists a customer’s orders newest first', async () => {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db);
    const automat = await makeAutomat(t.db);
    const first = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: customer(user.id) },
    );
    const second = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: customer(user.id) },
    );
    expect((await listOrdersForUser(t.db, { userId: user.id })).map((o) => o.id)).toEqual([second.id, first.id]);
  });
});
