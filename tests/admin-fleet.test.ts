import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drones, lockerCellsInternal, lockerCellsOut, parcelAutomats, users } from '@/db/schema';
import {
  createAutomat,
  createCells,
  deleteAutomat,
  deleteCell,
  setCellMaintenance,
  updateAutomat,
} from '@/lib/admin/automats';
import { createDrone, deleteDrone, issueDeviceKeyAsAdmin, setDroneMaintenance, updateDrone } from '@/lib/admin/drones';
import { changeUserRole } from '@/lib/admin/users';
import { hashDeviceKey } from '@/lib/device-keys/keys';
import { createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { automatSchema, cellsCreateSchema, droneSchema } from '@/lib/validation/fleet';
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

const ctx = (userId: string) => ({ userId, userEmail: 'ops@example.com', ip: '10.9.8.7', userAgent: 'vitest-fleet' });
let arucoSeq = 500_000 + Math.floor(Math.random() * 400_000);
const automatInput = (over: Record<string, unknown> = {}) =>
  automatSchema.parse({
    city: 'Kazan',
    address: `Bauman St., ${arucoSeq}`,
    lat: '55.7903',
    lon: '49.1347',
    aruco_id: String(arucoSeq++),
    ip_address: '10.20.0.5',
    is_working: 'on',
    ...over,
  });
const audits = (resourceId: string) =>
  t.sql`
    select action, resource_type, before, after, details, user_id, ip_address, user_agent
    from audit_logs where resource_id = ${resourceId} order by id`;
const count = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? -1;

describe('input rules', () => {
  it('refuses bad drone, locker and cell input with field messages', () => {
    const drone = droneSchema.safeParse({ model: 'x', ip_address: '300.1.1.1' });
    expect(drone.success).toBe(false);
    expect(Object.keys(drone.error!.flatten().fieldErrors).sort()).toEqual(['ip_address', 'model']);
    expect(droneSchema.parse({ model: ' Clover 4 ', ip_address: 'fe80::1' })).toEqual({
      model: 'Clover 4',
      ip_address: 'fe80::1',
    });
    const automat = automatSchema.safeParse({
      city: 'K',
      address: '',
      lat: '91',
      lon: 'abc',
      aruco_id: '-1',
      ip_address: 'host',
    });
    expect(Object.keys(automat.error!.flatten().fieldErrors).sort()).toEqual([
      'address',
      'aruco_id',
      'city',
      'ip_address',
      'lat',
      'lon',
    ]);
    expect(
      automatSchema.parse({
        city: 'Kazan',
        address: 'Kremlin, 1',
        lat: '55.79',
        lon: '49.13',
        aruco_id: '7',
        ip_address: '10.0.0.1',
      }).is_working,
    ).toBe(false);
    const cells = cellsCreateSchema.safeParse({
      automat_id: 'nope',
      kind: 'side',
      count: '0',
      height: '-1',
      length: '',
      width: '20001',
    });
    expect(Object.keys(cells.error!.flatten().fieldErrors).sort()).toEqual([
      'automat_id',
      'count',
      'height',
      'kind',
      'length',
      'width',
    ]);
  });
});

describe('drones', () => {
  it('register, edit, key, maintenance and delete are audited; a new drone is offline until it reports', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const d = await createDrone(t.db, ctx(admin.id), { model: 'Clover 5', ip_address: '10.0.0.77' });
    expect(d.status).toBe('offline');
    await updateDrone(t.db, ctx(admin.id), { id: d.id, input: { model: 'Clover 5 Pro', ip_address: '10.0.0.78' } });
    const key = await issueDeviceKeyAsAdmin(t.db, ctx(admin.id), { kind: 'drone', id: d.id });
    await recordTelemetry(t.db, { droneId: d.id, readings: [{ lat: 55.75, lon: 37.61, battery_level: 80 }] });
    const [online] = await t.db
      .select({ status: drones.status, hash: drones.apiKeyHash })
      .from(drones)
      .where(eq(drones.id, d.id));
    expect(online).toEqual({ status: 'idle', hash: hashDeviceKey(key) });
    const deleted = await deleteDrone(t.db, ctx(admin.id), d.id);
    expect(deleted).toEqual({ deliveriesKept: 0, telemetryDeleted: 1 });
    expect(await count(t.sql`select count(*)::int as n from drone_telemetry where drone_id = ${d.id}`)).toBe(0);
    const rows = await audits(d.id);
    expect(rows.map((r) => r.action)).toEqual(['drone.created', 'drone.updated', 'drone.key_issued', 'drone.deleted']);
    expect(rows[1]).toMatchObject({
      before: { model: 'Clover 5', ip_address: '10.0.0.77' },
      after: { model: 'Clover 5 Pro', ip_address: '10.0.0.78' },
      user_id: admin.id,
      ip_address: '10.9.8.7',
      user_agent: 'vitest-fleet',
    });
    expect(rows[3]).toMatchObject({
      before: { model: 'Clover 5 Pro', status: 'idle' },
      details: { deliveries_kept: 0, telemetry_deleted: 1 },
    });
    expect(JSON.stringify(await t.sql`select * from audit_logs`)).not.toContain(key);
  });

  it('a busy drone cannot be deleted; nothing changes and nothing is audited', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const d = await createDrone(t.db, ctx(admin.id), { model: 'Busy One', ip_address: '10.0.0.79' });
    await t.db.update(drones).set({ status: 'busy' }).where(eq(drones.id, d.id));
    const e = await rejection(deleteDrone(t.db, ctx(admin.id), d.id));
    expect([e.status, e.code]).toEqual([409, 'invalid_transition']);
    expect(await count(t.sql`select count(*)::int as n from drones where id = ${d.id}`)).toBe(1);
    expect((await audits(d.id)).map((r) => r.action)).toEqual(['drone.created']);
  });

  it('maintenance is sticky: telemetry reporting idle does not end it, an operator does', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const d = await createDrone(t.db, ctx(admin.id), { model: 'Sticky', ip_address: '10.0.0.80' });
    await recordTelemetry(t.db, {
      droneId: d.id,
      readings: [{ lat: 55.75, lon: 37.61, battery_level: 90, status: 'idle' }],
    });
    await setDroneMaintenance(t.db, ctx(admin.id), { droneId: d.id, maintenance: true });
    await recordTelemetry(t.db, {
      droneId: d.id,
      readings: [{ lat: 55.76, lon: 37.62, battery_level: 89, status: 'idle' }],
    });
    const status = async () => (await t.db.select({ s: drones.status }).from(drones).where(eq(drones.id, d.id)))[0]?.s;
    expect(await status()).toBe('maintenance');
    await setDroneMaintenance(t.db, ctx(admin.id), { droneId: d.id, maintenance: false });
    expect(await status()).toBe('idle');
    // A drone may put itself into maintenance; it stays there until an operator ends it.
    await recordTelemetry(t.db, {
      droneId: d.id,
      readings: [{ lat: 55.76, lon: 37.62, battery_level: 88, status: 'maintenance' }],
    });
    await recordTelemetry(t.db, {
      droneId: d.id,
      readings: [{ lat: 55.76, lon: 37.62, battery_level: 88, status: 'idle' }],
    });
    expect(await status()).toBe('maintenance');
  });
});

describe('call signs', () => {
  const signOf = async (id: string) =>
    (await t.sql<{ call_sign: string }[]>`select call_sign from drones where id = ${id}`)[0]?.call_sign;
  const number = (s: string) => Number(/^D-(\d+)$/.exec(s)?.[1] ?? Number.NaN);

  it('are typed in any case and kept in capitals; anything else is refused on the field', () => {
    expect(droneSchema.parse({ model: 'Clover 4', ip_address: '10.0.0.1', call_sign: ' d-07 ' }).call_sign).toBe(
      'D-07',
    );
    expect(droneSchema.parse({ model: 'Clover 4', ip_address: '10.0.0.1', call_sign: '' }).call_sign).toBeUndefined();
    for (const bad of ['D', 'D_01', 'D 01', 'ДРОН-1', 'ABCDEFGHIJKLM', 'D-01;']) {
      const r = droneSchema.safeParse({ model: 'Clover 4', ip_address: '10.0.0.1', call_sign: bad });
      expect(r.success, bad).toBe(false);
      expect(Object.keys(r.error!.flatten().fieldErrors), bad).toEqual(['call_sign']);
    }
  });

  it('a new drone without one gets the next free D-number, skipping typed ones; the audit row records it', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const first = await createDrone(t.db, ctx(admin.id), { model: 'Clover 4', ip_address: '10.1.0.1' });
    expect(first.callSign).toMatch(/^D-\d{2,}$/);
    const skipped = `D-${String(number(first.callSign) + 1).padStart(2, '0')}`;
    await createDrone(t.db, ctx(admin.id), { model: 'Clover 4', ip_address: '10.1.0.2', call_sign: skipped });
    const next = await createDrone(t.db, ctx(admin.id), { model: 'Clover 4', ip_address: '10.1.0.3' });
    expect(number(next.callSign)).toBe(number(first.callSign) + 2);
    expect((await audits(next.id))[0]).toMatchObject({
      action: 'drone.created',
      after: { call_sign: next.callSign, model: 'Clover 4' },
    });
  });

  it('are unique ignoring case: a taken one is a 409 on the field naming its drone, and nothing changes', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const a = await createDrone(t.db, ctx(admin.id), {
      model: 'Clover 4',
      ip_address: '10.1.1.1',
      call_sign: 'HAWK-1',
    });
    const b = await createDrone(t.db, ctx(admin.id), { model: 'Clover 4 Heavy', ip_address: '10.1.1.2' });
    const before = await count(t.sql`select count(*)::int as n from drones`);
    const dup = await rejection(
      createDrone(
        t.db,
        ctx(admin.id),
        droneSchema.parse({ model: 'Clover 4', ip_address: '10.1.1.3', call_sign: 'hawk-1' }),
      ),
    );
    expect([dup.status, dup.code]).toEqual([409, 'conflict']);
    expect(dup.fields?.call_sign).toContain('HAWK-1, Clover 4');
    expect(await count(t.sql`select count(*)::int as n from drones`)).toBe(before);
    const clash = await rejection(
      updateDrone(t.db, ctx(admin.id), {
        id: b.id,
        input: { model: 'Clover 4 Heavy', ip_address: '10.1.1.2', call_sign: 'HAWK-1' },
      }),
    );
    expect(clash.fields?.call_sign).toBeDefined();
    expect(await signOf(b.id)).toBe(b.callSign);
    expect((await audits(b.id)).map((r) => r.action)).toEqual(['drone.created']);
    // Keeping its own, or leaving it blank, keeps it; a new one renames it, audited.
    await updateDrone(t.db, ctx(admin.id), {
      id: a.id,
      input: { model: 'Clover 4', ip_address: '10.1.1.1', call_sign: 'HAWK-1' },
    });
    await updateDrone(t.db, ctx(admin.id), { id: a.id, input: { model: 'Clover 4', ip_address: '10.1.1.1' } });
    expect(await signOf(a.id)).toBe('HAWK-1');
    await updateDrone(t.db, ctx(admin.id), {
      id: a.id,
      input: { model: 'Clover 4', ip_address: '10.1.1.1', call_sign: 'FALCON-2' },
    });
    expect(await signOf(a.id)).toBe('FALCON-2');
    expect((await audits(a.id)).at(-1)).toMatchObject({
      before: { call_sign: 'HAWK-1' },
      after: { call_sign: 'FALCON-2' },
    });
  });

  it('two drones registered at once with one call sign: exactly one wins, the others get the field error', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        createDrone(t.db, ctx(admin.id), { model: 'Clover 4', ip_address: `10.1.2.${i}`, call_sign: 'RACE-1' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'conflict',
        status: 409,
        fields: { call_sign: expect.any(String) },
      });
    expect(await count(t.sql`select count(*)::int as n from drones where call_sign = 'RACE-1'`)).toBe(1);
  });

  it('the DB enforces them too: capitals only, unique ignoring case, a default for rows lacking one', async () => {
    await expect(
      t.sql`insert into drones (model, ip_address, call_sign) values ('X', '10.1.3.1', 'lower-1')`,
    ).rejects.toMatchObject({ code: '23514' });
    await t.sql`insert into drones (model, ip_address, call_sign) values ('X', '10.1.3.2', 'CASE-1')`;
    await expect(
      t.sql`insert into drones (model, ip_address, call_sign) values ('X', '10.1.3.3', 'CASE-1')`,
    ).rejects.toMatchObject({ code: '23505' });
    const [raw] = await t.sql<
      { call_sign: string }[]
    >`insert into drones (model, ip_address) values ('X', '10.1.3.4') returning call_sign`;
    expect(raw!.call_sign).toMatch(/^D-\d{2,}$/);
  });
});

describe('parcel automats', () => {
  it('creates a locker with a unique ArUco id; a duplicate is a 409 on the field and writes nothing', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const input = automatInput({ lat: '55.790312345', lon: '49.1347' });
    const a = await createAutomat(t.db, ctx(admin.id), input);
    expect(a).toMatchObject({
      city: 'Kazan',
      coordinates: '55.790312,49.1347',
      numberOfCells: 0,
      isWorking: true,
      arucoId: input.aruco_id,
    });
    const before = await count(t.sql`select count(*)::int as n from parcel_automats`);
    const dup = await rejection(createAutomat(t.db, ctx(admin.id), { ...automatInput(), aruco_id: input.aruco_id }));
    expect([dup.status, dup.code]).toEqual([409, 'conflict']);
    expect(dup.fields?.aruco_id).toContain(input.address);
    expect(await count(t.sql`select count(*)::int as n from parcel_automats`)).toBe(before);
    // Editing another locker onto the same id is refused the same way; keeping its own id is fine.
    const b = await createAutomat(t.db, ctx(admin.id), automatInput());
    const clash = await rejection(
      updateAutomat(t.db, ctx(admin.id), { id: b.id, input: { ...automatInput(), aruco_id: input.aruco_id } }),
    );
    expect(clash.fields?.aruco_id).toBeDefined();
    const moved = await updateAutomat(t.db, ctx(admin.id), {
      id: b.id,
      input: {
        ...automatInput(),
        aruco_id: b.arucoId,
        is_working: false,
        address: 'Moved St., 1',
      },
    });
    expect(moved).toMatchObject({ address: 'Moved St., 1', isWorking: false, arucoId: b.arucoId });
    const rows = await audits(b.id);
    expect(rows.map((r) => r.action)).toEqual(['automat.created', 'automat.updated']);
    expect(rows[1]).toMatchObject({
      before: { is_working: true },
      after: { is_working: false, address: 'Moved St., 1' },
    });
  });

  it('two lockers created at once with one ArUco id: exactly one wins, the other gets the field error', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const aruco = arucoSeq++;
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => createAutomat(t.db, ctx(admin.id), { ...automatInput(), aruco_id: aruco })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', status: 409 });
    expect(await count(t.sql`select count(*)::int as n from parcel_automats where aruco_id = ${aruco}`)).toBe(1);
  });

  it('bulk-creates numbered cells of a size and keeps number_of_cells equal to the cells', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const a = await createAutomat(t.db, ctx(admin.id), automatInput());
    const first = await createCells(t.db, ctx(admin.id), {
      automat_id: a.id,
      kind: 'external',
      count: 4,
      height: 30,
      length: 40,
      width: 35,
    });
    const more = await createCells(t.db, ctx(admin.id), {
      automat_id: a.id,
      kind: 'external',
      count: 2,
      height: 60,
      length: 60,
      width: 60,
    });
    const inside = await createCells(t.db, ctx(admin.id), {
      automat_id: a.id,
      kind: 'internal',
      count: 3,
      height: 60,
      length: 60,
      width: 60,
    });
    expect([first.numbers, more.numbers, inside.numbers]).toEqual([
      [1, 2, 3, 4],
      [5, 6],
      [1, 2, 3],
    ]);
    expect(inside.numberOfCells).toBe(9);
    const [row] = await t.db
      .select({ n: parcelAutomats.numberOfCells })
      .from(parcelAutomats)
      .where(eq(parcelAutomats.id, a.id));
    expect(row?.n).toBe(9);
    const big = await t.sql`select cell_number, height::float8 as h from locker_cells_out
      where post_id = ${a.id} and height = 60 order by cell_number`;
    expect(big).toEqual([
      { cell_number: 5, h: 60 },
      { cell_number: 6, h: 60 },
    ]);
    // Concurrent bulk adds never collide on numbers.
    await Promise.all(
      [1, 2, 3].map(() =>
        createCells(t.db, ctx(admin.id), {
          automat_id: a.id,
          kind: 'internal',
          count: 5,
          height: 50,
          length: 50,
          width: 50,
        }),
      ),
    );
    const nums = (
      await t.sql`select cell_number from locker_cells_internal where post_id = ${a.id} order by cell_number`
    ).map((r) => r.cell_number);
    expect(nums).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const actions = (await audits(a.id)).map((r) => r.action);
    expect(actions.filter((x) => x === 'automat.cells_created')).toHaveLength(6);
  });

  it('a cell under maintenance is never booked; a reserved cell cannot go into maintenance or be deleted', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const customer = await makeUser(t.db);
    const good = await makeGood(t.db, { quantityAvailable: 5 });
    const a = await makeAutomat(t.db, { external: [{ count: 2 }], internal: [{ count: 1 }] });
    const cells = await t.db
      .select({ id: lockerCellsOut.id, n: lockerCellsOut.cellNumber })
      .from(lockerCellsOut)
      .where(eq(lockerCellsOut.postId, a.id))
      .orderBy(lockerCellsOut.cellNumber);
    await setCellMaintenance(t.db, ctx(admin.id), { kind: 'external', cellId: cells[0]!.id, maintenance: true });
    const order = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: a.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    expect(order.lockerCellId).toBe(cells[1]!.id);
    const none = await rejection(
      createOrder(
        t.db,
        { userId: customer.id, goodId: good.id, automatId: a.id },
        { actor: { type: 'customer', id: customer.id } },
      ),
    );
    expect(none.code).toBe('no_capacity');
    const busy = await rejection(
      setCellMaintenance(t.db, ctx(admin.id), { kind: 'external', cellId: cells[1]!.id, maintenance: true }),
    );
    expect([busy.status, busy.code]).toEqual([409, 'invalid_transition']);
    const busyDelete = await rejection(deleteCell(t.db, ctx(admin.id), { kind: 'external', cellId: cells[1]!.id }));
    expect(busyDelete.code).toBe('invalid_transition');
    const [held] = await t.db
      .select({ s: lockerCellsOut.status })
      .from(lockerCellsOut)
      .where(eq(lockerCellsOut.id, cells[1]!.id));
    expect(held?.s).toBe('reserved');
    expect(await audits(cells[1]!.id)).toEqual([]);
    // Back in service, it takes the next order.
    await setCellMaintenance(t.db, ctx(admin.id), { kind: 'external', cellId: cells[0]!.id, maintenance: false });
    const next = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: a.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    expect(next.lockerCellId).toBe(cells[0]!.id);
    expect((await audits(cells[0]!.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ['cell.maintenance_on', { status: 'available' }, { status: 'maintenance' }],
      ['cell.maintenance_off', { status: 'maintenance' }, { status: 'available' }],
    ]);
  });

  it('deleting an empty cell updates number_of_cells', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const a = await makeAutomat(t.db, { external: [{ count: 2 }], internal: [{ count: 2 }] });
    const [cell] = await t.db
      .select({ id: lockerCellsInternal.id })
      .from(lockerCellsInternal)
      .where(eq(lockerCellsInternal.postId, a.id))
      .limit(1);
    expect(await deleteCell(t.db, ctx(admin.id), { kind: 'internal', cellId: cell!.id })).toEqual({ numberOfCells: 3 });
    expect((await audits(cell!.id)).map((r) => r.action)).toEqual(['cell.deleted']);
    const missing = await rejection(deleteCell(t.db, ctx(admin.id), { kind: 'internal', cellId: cell!.id }));
    expect(missing.status).toBe(404);
  });

  it('a locker with orders is never deleted (orders are history); one without orders goes with its cells', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const customer = await makeUser(t.db);
    const good = await makeGood(t.db);
    const a = await makeAutomat(t.db, { external: [{ count: 3 }], internal: [{ count: 2 }] });
    const order = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: a.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    const refused = await rejection(deleteAutomat(t.db, ctx(admin.id), a.id));
    expect([refused.status, refused.code]).toEqual([409, 'invalid_transition']);
    await t.sql`update orders set status = 'completed' where id = ${order.id}`;
    await t.sql`update locker_cells_out set status = 'available' where post_id = ${a.id}`;
    const stillRefused = await rejection(deleteAutomat(t.db, ctx(admin.id), a.id));
    expect([stillRefused.status, stillRefused.message]).toEqual([409, expect.stringContaining('Archive it instead')]);
    expect(await count(t.sql`select count(*)::int as n from parcel_automats where id = ${a.id}`)).toBe(1);
    expect(await count(t.sql`select count(*)::int as n from orders where id = ${order.id}`)).toBe(1);

    const empty = await makeAutomat(t.db, { external: [{ count: 3 }], internal: [{ count: 2 }] });
    const impact = await deleteAutomat(t.db, ctx(admin.id), empty.id);
    expect(impact).toMatchObject({ externalCells: 3, internalCells: 2, orders: 0, openOrders: 0 });
    expect(await count(t.sql`select count(*)::int as n from locker_cells_out where post_id = ${empty.id}`)).toBe(0);
    const [row] = await audits(empty.id);
    expect(row).toMatchObject({
      action: 'automat.deleted',
      details: { external_cells_deleted: 3, internal_cells_deleted: 2 },
    });
    expect((await audits(a.id)).length).toBe(0);
  });

  it('a locker key is audited without the key', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const a = await makeAutomat(t.db);
    const k1 = await issueDeviceKeyAsAdmin(t.db, ctx(admin.id), { kind: 'automat', id: a.id });
    const k2 = await issueDeviceKeyAsAdmin(t.db, ctx(admin.id), { kind: 'automat', id: a.id });
    expect(k1).toMatch(/^spa_/);
    const [row] = await t.db
      .select({ h: parcelAutomats.apiKeyHash })
      .from(parcelAutomats)
      .where(eq(parcelAutomats.id, a.id));
    expect(row?.h).toBe(hashDeviceKey(k2));
    expect((await audits(a.id)).map((r) => r.action)).toEqual(['automat.key_issued', 'automat.key_rotated']);
    const all = JSON.stringify(await t.sql`select * from audit_logs`);
    expect(all).not.toContain(k1);
    expect(all).not.toContain(k2);
  });
});

describe('users', () => {
  it('changes a role with an audit row; never your own, and only while the actor is still an admin', async () => {
    await t.sql`update users set role = 'client' where role = 'admin'`;
    const admin = await makeUser(t.db, { role: 'admin' });
    const customer = await makeUser(t.db);
    expect(await changeUserRole(t.db, ctx(admin.id), { userId: customer.id, role: 'admin' })).toEqual({
      role: 'admin',
      changed: true,
    });
    expect(await changeUserRole(t.db, ctx(admin.id), { userId: customer.id, role: 'admin' })).toEqual({
      role: 'admin',
      changed: false,
    });
    const self = await rejection(changeUserRole(t.db, ctx(admin.id), { userId: admin.id, role: 'client' }));
    expect(self.code).toBe('invalid_transition');
    // The promoted user demotes the original admin; then nobody can demote the last one.
    expect((await changeUserRole(t.db, ctx(customer.id), { userId: admin.id, role: 'client' })).changed).toBe(true);
    const third = await makeUser(t.db);
    await t.sql`update users set role = 'admin' where id = ${third.id}`;
    await changeUserRole(t.db, ctx(third.id), { userId: customer.id, role: 'client' });
    const demoted = await rejection(changeUserRole(t.db, ctx(customer.id), { userId: third.id, role: 'client' }));
    expect([demoted.status, demoted.code]).toEqual([403, 'forbidden']);
    const roles = await t.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.role, 'admin'));
    expect(roles).toEqual([{ id: third.id, role: 'admin' }]);
    expect((await audits(customer.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ['user.role_changed', { role: 'client' }, { role: 'admin' }],
      ['user.role_changed', { role: 'admin' }, { role: 'client' }],
    ]);
  });

  it('two admins demoting each other at once leave one admin', async () => {
    await t.sql`update users set role = 'client' where role = 'admin'`;
    const a = await makeUser(t.db, { role: 'admin' });
    const b = await makeUser(t.db, { role: 'admin' });
    const results = await Promise.allSettled([
      changeUserRole(t.db, ctx(a.id), { userId: b.id, role: 'client' }),
      changeUserRole(t.db, ctx(b.id), { userId: a.id, role: 'client' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await count(t.sql`select count(*)::int as n from users where role = 'admin'`)).toBe(1);
  });
});
