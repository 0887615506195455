import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts, listClosedAutomats } from '@/db/queries/alerts';
import { drones } from '@/db/schema';
import { acknowledgeAlert, alertsResponse } from '@/lib/admin/alerts';
import { alertAcknowledgeSchema } from '@/lib/validation/alerts';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// Alerts: closed lockers are a state, not an alert; every alert can be acknowledged with a
// note (stored and audited together), and an acknowledgement holds until the condition changes.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const thresholds = { lowBattery: 20, stuckDeliveryMin: 20, pendingOrderMin: 15, automatSilentMin: 5 };
const ctx = (userId: string) => ({ userId, userEmail: 'ops@example.com', ip: '10.1.2.3', userAgent: 'vitest' });

async function offlineDrone(lastSeenMinutesAgo: number | null) {
  const [d] = await t.db
    .insert(drones)
    .values({
      model: 'Clover 4',
      ipAddress: '10.0.3.1',
      status: 'offline',
      lastSeenAt: lastSeenMinutesAgo === null ? null : new Date(Date.now() - lastSeenMinutesAgo * 60_000),
    })
    .returning({ id: drones.id });
  return d!.id;
}

const alertOf = async (kind: string, id: string) =>
  (await listAlerts(t.db, thresholds)).find((a) => a.kind === kind && a.objectId === id);

describe('closed lockers', () => {
  it('are not alerts (critical or warning) but listed as closed; a closed locker is not "silent" either', async () => {
    const closed = await makeAutomat(t.db, { isWorking: false });
    const alerts = await listAlerts(t.db, thresholds);
    expect(alerts.filter((a) => a.objectId === closed.id)).toEqual([]);
    expect((await listClosedAutomats(t.db)).map((c) => c.id)).toContain(closed.id);
    const open = await makeAutomat(t.db);
    expect((await listClosedAutomats(t.db)).map((c) => c.id)).not.toContain(open.id);
    // A working locker that never sent a heartbeat is still an alert (a warning).
    expect((await alertOf('automat_silent', open.id))?.severity).toBe('warning');
  });
});

describe('acknowledging an alert', () => {
  it('stores who, when and the note with an audit row, and the alert stops counting as open', async () => {
    const admin = await makeUser(t.db, { role: 'admin', fullName: 'Olga Operator' });
    const drone = await offlineDrone(3);
    const before = alertsResponse(await listAlerts(t.db, thresholds), []);
    expect((await alertOf('drone_offline', drone))?.acknowledgement).toBeNull();

    const r = await acknowledgeAlert(t.db, ctx(admin.id), {
      thresholds,
      input: {
        kind: 'drone_offline',
        object_id: drone,
        note: 'Crew is driving out to fetch it',
      },
    });
    const [row] = await t.sql`select kind, object_id, note, acknowledged_by, acknowledged_at, condition_since
      from alert_acknowledgements where id = ${r.id}`;
    expect(row).toMatchObject({
      kind: 'drone_offline',
      object_id: drone,
      note: 'Crew is driving out to fetch it',
      acknowledged_by: admin.id,
    });
    expect(Math.abs(new Date(row!.acknowledged_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
    const [audit] = await t.sql`select user_id, action, resource_type, resource_id, after, details
      from audit_logs where resource_id = ${drone}`;
    expect(audit).toMatchObject({
      user_id: admin.id,
      action: 'alert.acknowledged',
      resource_type: 'drone',
      after: { acknowledged: true, note: 'Crew is driving out to fetch it' },
      details: { kind: 'drone_offline' },
    });

    const alert = await alertOf('drone_offline', drone);
    expect(alert?.acknowledgement).toMatchObject({
      note: 'Crew is driving out to fetch it',
      by: expect.stringContaining('Olga Operator'),
    });
    const after = alertsResponse(await listAlerts(t.db, thresholds), []);
    expect(after.counts.total).toBe(before.counts.total - 1);
    expect(after.counts.critical).toBe(before.counts.critical - 1);
    expect(after.counts.acknowledged).toBe(before.counts.acknowledged + 1);
    expect(after.alerts.find((a) => a.object_id === drone)?.acknowledgement?.note).toBe(
      'Crew is driving out to fetch it',
    );
  });

  it('is open again when the condition changes: the drone reports, then goes offline again', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const drone = await offlineDrone(10);
    await acknowledgeAlert(t.db, ctx(admin.id), {
      thresholds,
      input: {
        kind: 'drone_offline',
        object_id: drone,
        note: 'Known: battery swap',
      },
    });
    expect((await alertOf('drone_offline', drone))?.acknowledgement).not.toBeNull();
    // Heard from after the acknowledgement, then silent again: a new occurrence.
    await t.sql`update drones set last_seen_at = now() + interval '1 second' where id = ${drone}`;
    expect((await alertOf('drone_offline', drone))?.acknowledgement).toBeNull();
  });

  it('a low battery stays acknowledged while low, and is open again after a charge above the threshold', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const [d] = await t.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.0.3.2', status: 'idle', batteryLevel: 15 })
      .returning({ id: drones.id });
    const reading = (minutesAgo: number, battery: number) =>
      t.sql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
        values (${d!.id}, now() - make_interval(secs => ${minutesAgo * 60}), 55.75, 37.61, ${battery})`;
    await reading(30, 60);
    await reading(20, 18);
    const low = await alertOf('low_battery', d!.id);
    expect(low?.onset).not.toBeNull();
    await acknowledgeAlert(t.db, ctx(admin.id), {
      thresholds,
      input: {
        kind: 'low_battery',
        object_id: d!.id,
        note: 'Sent to the charger',
      },
    });
    await reading(0, 14); // still low: still acknowledged
    expect((await alertOf('low_battery', d!.id))?.acknowledgement?.note).toBe('Sent to the charger');
    await t.sql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
      values (${d!.id}, now() + interval '2 seconds', 55.75, 37.61, 95)`;
    await t.sql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
      values (${d!.id}, now() + interval '3 seconds', 55.75, 37.61, 19)`;
    expect((await alertOf('low_battery', d!.id))?.acknowledgement).toBeNull();
  });

  it('an order waiting for a drone is open again once requeued (status changed after acknowledgement)', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const customer = await makeUser(t.db);
    const good = await makeGood(t.db);
    const automat = await makeAutomat(t.db);
    const [o] = await t.sql`insert into orders (user_id, good_id, parcel_automat_id, status, created_at, updated_at)
      values (${customer.id}, ${good.id}, ${automat.id}, 'pending',
        now() - interval '30 minutes', now() - interval '30 minutes')
      returning id`;
    await acknowledgeAlert(t.db, ctx(admin.id), {
      thresholds,
      input: {
        kind: 'order_pending',
        object_id: o!.id as string,
        note: 'Waiting for drones to charge',
      },
    });
    expect((await alertOf('order_pending', o!.id as string))?.acknowledgement).not.toBeNull();
    await t.sql`update orders set updated_at = now() + interval '1 second' where id = ${o!.id}`;
    expect((await alertOf('order_pending', o!.id as string))?.acknowledgement).toBeNull();
  });

  it('acknowledging again keeps both notes and shows the newer one', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const drone = await offlineDrone(null);
    await acknowledgeAlert(t.db, ctx(admin.id), {
      thresholds,
      input: { kind: 'drone_offline', object_id: drone, note: 'first' },
    });
    await new Promise((r) => setTimeout(r, 5));
    await acknowledgeAlert(t.db, ctx(admin.id), {
      thresholds,
      input: {
        kind: 'drone_offline',
        object_id: drone,
        note: 'second',
      },
    });
    expect((await alertOf('drone_offline', drone))?.acknowledgement?.note).toBe('second');
    const [n] = await t.sql`select count(*)::int as n from alert_acknowledgements where object_id = ${drone}`;
    expect(n?.n).toBe(2);
  });

  it('refuses an inactive alert (cleared, unknown or another kind): 409, nothing stored or audited', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const [fine] = await t.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.0.3.3', status: 'idle', batteryLevel: 80 })
      .returning({ id: drones.id });
    for (const input of [
      { kind: 'drone_offline' as const, object_id: fine!.id, note: 'x' },
      { kind: 'low_battery' as const, object_id: fine!.id, note: 'x' },
      { kind: 'order_pending' as const, object_id: '00000000-0000-4000-8000-000000000000', note: 'x' },
    ]) {
      const e = await rejection(acknowledgeAlert(t.db, ctx(admin.id), { thresholds, input }));
      expect([e.status, e.code]).toEqual([409, 'invalid_transition']);
    }
    const [n] =
      await t.sql`select (select count(*)::int from alert_acknowledgements where object_id = ${fine!.id}) as acks,
        (select count(*)::int from audit_logs where resource_id = ${fine!.id}) as audits`;
    expect(n).toEqual({ acks: 0, audits: 0 });
  });

  it('the database refuses an empty note and an unknown kind', async () => {
    const drone = await offlineDrone(1);
    await expect(
      t.sql`insert into alert_acknowledgements (kind, object_id, note) values ('drone_offline', ${drone}, '   ')`,
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      t.sql`insert into alert_acknowledgements (kind, object_id, note) values ('automat_not_working', ${drone}, 'x')`,
    ).rejects.toMatchObject({ code: '23514' });
  });
});

describe('the acknowledgement form input', () => {
  const id = '5f0c7c1e-1d2b-4c4b-9a51-3f7f2f2f2f2f';
  it('needs a known kind, a uuid and a note of 1 to 500 characters (trimmed)', () => {
    expect(alertAcknowledgeSchema.safeParse({ kind: 'drone_offline', object_id: id, note: '  on it  ' })).toMatchObject(
      { success: true, data: { note: 'on it' } },
    );
    for (const bad of [
      { kind: 'drone_offline', object_id: id, note: '   ' },
      { kind: 'drone_offline', object_id: id },
      { kind: 'drone_offline', object_id: id, note: 'x'.repeat(501) },
      { kind: 'automat_not_working', object_id: id, note: 'x' },
      { kind: 'drone_offline', object_id: 'not-a-uuid', note: 'x' },
      { kind: ['drone_offline'], object_id: id, note: 'x' },
    ]) {
      expect(alertAcknowledgeSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });
});
