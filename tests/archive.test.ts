import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAutomatChoices, listCatalog } from '@/db/queries/availability';
import { listAutomatSummaries } from '@/db/queries/network';
import { deleteAutomat, setAutomatArchived } from '@/lib/admin/automats';
import { deleteGood, setGoodArchived } from '@/lib/admin/goods';
import { claimAndAssignNext } from '@/lib/dispatch/delivery-flow';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { goodArchiveSchema } from '@/lib/validation/goods';
import { automatArchiveSchema } from '@/lib/validation/fleet';
import { rejection } from './helpers/assert';
import { createTestDatabase, pgErrorOf, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeIdleDroneAt, makeUser, parkDispatch } from './helpers/factories';

// History is kept: goods and lockers that orders name are archived, never deleted. Archived
// ones are hidden from the catalog, ordering, the locker picker and dispatch, and can be
// restored; the database refuses the delete too (ON DELETE RESTRICT).

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const ctx = (userId: string) => ({ userId, userEmail: 'ops@example.com', ip: '10.1.2.3', userAgent: 'vitest' });
const asCustomer = (id: string) => ({ type: 'customer' as const, id });

async function world() {
  const admin = await makeUser(t.db, { role: 'admin' });
  const customer = await makeUser(t.db);
  const good = await makeGood(t.db, { quantityAvailable: 5 });
  const automat = await makeAutomat(t.db, { external: [{ count: 3 }], internal: [{ count: 2 }] });
  return { admin, customer, good, automat, c: ctx(admin.id) };
}

const countRows = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? -1;

describe('goods', () => {
  it('a good with a past order: delete refused (409; 23503 in DB), archive hides it, restore returns it', async () => {
    const w = await world();
    const order = await createOrder(
      t.db,
      { userId: w.customer.id, goodId: w.good.id, automatId: w.automat.id },
      { actor: asCustomer(w.customer.id) },
    );

    // Open order: neither deleted nor archived.
    expect((await rejection(deleteGood(t.db, w.c, w.good.id))).status).toBe(409);
    const openRefusal = await rejection(setGoodArchived(t.db, w.c, { id: w.good.id, archived: true }));
    expect([openRefusal.status, openRefusal.message]).toEqual([
      409,
      '1 order of this good is still open. Archive it when that order is collected or cancelled.',
    ]);

    await cancelOrder(t.db, { orderId: order.id, userId: w.customer.id }, asCustomer(w.customer.id));
    const refused = await rejection(deleteGood(t.db, w.c, w.good.id));
    expect([refused.status, refused.code, refused.message]).toEqual([
      409,
      'invalid_transition',
      expect.stringContaining('1 order names this good'),
    ]);
    // The database itself refuses: orders.good_id is ON DELETE RESTRICT.
    expect((await pgErrorOf(() => t.sql`delete from goods where id = ${w.good.id}`)).code).toBe('23503');
    expect(await countRows(t.sql`select count(*)::int as n from orders where id = ${order.id}`)).toBe(1);

    expect((await setGoodArchived(t.db, w.c, { id: w.good.id, archived: true })).changed).toBe(true);
    // Idempotent: no second audit row.
    expect((await setGoodArchived(t.db, w.c, { id: w.good.id, archived: true })).changed).toBe(false);
    expect((await listCatalog(t.db, {})).map((g) => g.id)).not.toContain(w.good.id);
    expect((await listCatalog(t.db, { goodId: w.good.id })).length).toBe(0); // the customer's order page: not found
    expect((await listCatalog(t.db, { archived: 'only' })).map((g) => g.id)).toContain(w.good.id);
    const [archived] = await listCatalog(t.db, { goodId: w.good.id, archived: 'include' });
    expect(archived?.archivedAt).toBeInstanceOf(Date);

    const stockBefore = await countRows(t.sql`select quantity_available as n from goods where id = ${w.good.id}`);
    const order2 = await rejection(
      createOrder(
        t.db,
        { userId: w.customer.id, goodId: w.good.id, automatId: w.automat.id },
        { actor: asCustomer(w.customer.id) },
      ),
    );
    expect([order2.status, order2.code, order2.message]).toEqual([
      404,
      'not_found',
      'This item is no longer sold. Choose another one from the catalog.',
    ]);
    expect(await countRows(t.sql`select quantity_available as n from goods where id = ${w.good.id}`)).toBe(stockBefore);
    expect(await countRows(t.sql`select count(*)::int as n from orders where good_id = ${w.good.id}`)).toBe(1);

    expect((await setGoodArchived(t.db, w.c, { id: w.good.id, archived: false })).changed).toBe(true);
    expect((await listCatalog(t.db, {})).map((g) => g.id)).toContain(w.good.id);
    await createOrder(
      t.db,
      { userId: w.customer.id, goodId: w.good.id, automatId: w.automat.id },
      { actor: asCustomer(w.customer.id) },
    );

    const audit = await t.sql`select action from audit_logs where resource_id = ${w.good.id} order by id`;
    expect(audit.map((r) => r.action)).toEqual(['good.archived', 'good.restored']);
  });

  it('a good no order names is deleted for good, with an audit row', async () => {
    const w = await world();
    expect(await deleteGood(t.db, w.c, w.good.id)).toEqual({ deleted: true });
    expect(await countRows(t.sql`select count(*)::int as n from goods where id = ${w.good.id}`)).toBe(0);
    const [row] = await t.sql`select action from audit_logs where resource_id = ${w.good.id}`;
    expect(row?.action).toBe('good.deleted');
    expect((await rejection(deleteGood(t.db, w.c, w.good.id))).status).toBe(404);
    expect((await rejection(setGoodArchived(t.db, w.c, { id: w.good.id, archived: true }))).status).toBe(404);
  });

  it('the form input: a uuid and "true" or "false", nothing else', () => {
    const id = '5f0c7c1e-1d2b-4c4b-9a51-3f7f2f2f2f2f';
    expect(goodArchiveSchema.parse({ good_id: id, archived: 'true' })).toEqual({ good_id: id, archived: true });
    expect(goodArchiveSchema.parse({ good_id: id, archived: 'false' })).toEqual({ good_id: id, archived: false });
    for (const bad of [
      { good_id: id },
      { good_id: id, archived: 'yes' },
      { good_id: id, archived: true },
      { good_id: 'x', archived: 'true' },
    ]) {
      expect(goodArchiveSchema.safeParse(bad).success).toBe(false);
    }
    expect(automatArchiveSchema.safeParse({ automat_id: id, archived: '1' }).success).toBe(false);
  });
});

describe('lockers', () => {
  it('a locker with orders: delete refused (DB too); archive hides it from ordering/picker/lists/counts', async () => {
    const w = await world();
    const order = await createOrder(
      t.db,
      { userId: w.customer.id, goodId: w.good.id, automatId: w.automat.id },
      { actor: asCustomer(w.customer.id) },
    );
    expect((await rejection(setAutomatArchived(t.db, w.c, { id: w.automat.id, archived: true }))).message).toBe(
      '1 order at this locker is still open. Archive it when that order is collected or cancelled.',
    );
    await cancelOrder(t.db, { orderId: order.id, userId: w.customer.id }, asCustomer(w.customer.id));
    expect((await rejection(deleteAutomat(t.db, w.c, w.automat.id))).message).toContain('Archive it instead');
    expect((await pgErrorOf(() => t.sql`delete from parcel_automats where id = ${w.automat.id}`)).code).toBe('23503');

    const catalogBefore = (await listCatalog(t.db, { goodId: w.good.id }))[0]!;
    await setAutomatArchived(t.db, w.c, { id: w.automat.id, archived: true });
    expect((await listAutomatChoices(t.db, w.good)).map((a) => a.id)).not.toContain(w.automat.id);
    expect((await listAutomatSummaries(t.db)).map((a) => a.id)).not.toContain(w.automat.id);
    expect(
      (await listAutomatSummaries(t.db, { includeArchived: true })).find((a) => a.id === w.automat.id)?.archivedAt,
    ).toBeInstanceOf(Date);
    const catalogAfter = (await listCatalog(t.db, { goodId: w.good.id }))[0]!;
    expect(catalogAfter.fitsAt).toBe(catalogBefore.fitsAt - 1);

    const refused = await rejection(
      createOrder(
        t.db,
        { userId: w.customer.id, goodId: w.good.id, automatId: w.automat.id },
        { actor: asCustomer(w.customer.id) },
      ),
    );
    expect([refused.status, refused.code]).toEqual([404, 'not_found']);
    expect(
      await countRows(t.sql`select count(*)::int as n from orders where parcel_automat_id = ${w.automat.id}`),
    ).toBe(1);

    await setAutomatArchived(t.db, w.c, { id: w.automat.id, archived: false });
    expect((await listAutomatChoices(t.db, w.good)).map((a) => a.id)).toContain(w.automat.id);
    const audit = await t.sql`select action from audit_logs where resource_id = ${w.automat.id} order by id`;
    expect(audit.map((r) => r.action)).toEqual(['automat.archived', 'automat.restored']);
  });

  it('dispatch never assigns an order for an archived good or locker (even one written around the rules)', async () => {
    await parkDispatch(t.sql);
    const w = await world();
    await makeIdleDroneAt(t.db, { lat: 55.7558, lon: 37.6173 });
    const [o] = await t.sql<{ id: string }[]>`insert into orders (user_id, good_id, parcel_automat_id, status)
      values (${w.customer.id}, ${w.good.id}, ${w.automat.id}, 'pending') returning id`;
    await t.sql`update parcel_automats set archived_at = now() where id = ${w.automat.id}`;
    expect((await claimAndAssignNext(t.db, { minBattery: 30, offlineAfterMs: 60_000, orderId: o!.id })).kind).toBe(
      'idle',
    );
    await t.sql`update parcel_automats set archived_at = null where id = ${w.automat.id}`;
    await t.sql`update goods set archived_at = now() where id = ${w.good.id}`;
    expect((await claimAndAssignNext(t.db, { minBattery: 30, offlineAfterMs: 60_000, orderId: o!.id })).kind).toBe(
      'idle',
    );
    await t.sql`update goods set archived_at = null where id = ${w.good.id}`;
    expect((await claimAndAssignNext(t.db, { minBattery: 30, offlineAfterMs: 60_000, orderId: o!.id })).kind).toBe(
      'assigned',
    );
  });
});

describe('the database keeps history', () => {
  it('orders and deliveries restrict deleting their good or locker; cells still go with an unused locker', async () => {
    const rows = await t.sql<{ name: string; action: string }[]>`
      select conname as name, confdeltype as action from pg_constraint
       where contype = 'f' and conname in (
         'orders_good_id_goods_id_fk',
         'orders_parcel_automat_id_parcel_automats_id_fk',
         'deliveries_parcel_automat_id_parcel_automats_id_fk',
         'locker_cells_out_post_id_parcel_automats_id_fk'
       )
       order by conname`;
    expect(rows.map((r) => [r.name, r.action])).toEqual([
      ['deliveries_parcel_automat_id_parcel_automats_id_fk', 'r'],
      ['locker_cells_out_post_id_parcel_automats_id_fk', 'c'],
      ['orders_good_id_goods_id_fk', 'r'],
      ['orders_parcel_automat_id_parcel_automats_id_fk', 'r'],
    ]);
  });
});
