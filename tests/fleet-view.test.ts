import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listAlerts } from '@/db/queries/alerts';
import { listDronesAdmin } from '@/db/queries/drones';
import { listAutomatSummaries } from '@/db/queries/network';
import { automatState, cellMetricLabel } from '@/components/admin/fleet-style';
import type { LOCALES } from '@/i18n/config';
import { loadMessages } from '@/i18n/messages';
import { droneStateFilter } from '@/lib/admin/drone-state';
import { snapshotAutomats } from '@/lib/admin/fleet';
import { cellMetric } from '@/lib/cell-metric';
import { droneFilterSchema } from '@/lib/validation/fleet';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat } from './helpers/factories';

// What the fleet pages show: the live map's lockers carry the one cell metric, the drones list
// filters by the state as shown ("returning" included), alerts name drones by call sign, and
// the cell metric reads the same in both languages.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('the live map’s lockers', () => {
  it('carry the one cell metric: free now, of the pickup cells in service', async () => {
    const a = await makeAutomat(t.db, { external: [{ count: 5 }], internal: [{ count: 1 }] });
    const cells = await t.sql<
      { id: string }[]
    >`select id from locker_cells_out where post_id = ${a.id} order by cell_number`;
    await t.sql`update locker_cells_out set status = 'maintenance' where id = ${cells[0]!.id}`;
    await t.sql`update locker_cells_out set status = 'reserved' where id = ${cells[1]!.id}`;
    const [snap] = snapshotAutomats((await listAutomatSummaries(t.db)).filter((x) => x.id === a.id));
    expect(snap).toMatchObject({ external_total: 5, external_free: 3, external_in_service: 4, external_occupied: 2 });
  });
});

describe('the drones list filter', () => {
  it('accepts every shown state, "returning" included, and nothing else', () => {
    expect(droneFilterSchema.parse({ status: 'returning' }).status).toBe('returning');
    expect(droneFilterSchema.safeParse({ status: 'flying' }).success).toBe(false);
  });

  it('tells returning (idle, moving in a recent reading) from idle, as the badge does', async () => {
    const tag = `Filter ${Math.random().toString(36).slice(2, 8)}`;
    const rows = await t.sql<{ id: string; label: string }[]>`
      insert into drones (model, ip_address, status, speed_mps, last_seen_at) values
        (${`${tag} flying home`}, '10.1.0.1', 'idle', 8, now()),
        (${`${tag} parked`}, '10.1.0.2', 'idle', 0, now()),
        (${`${tag} moving long ago`}, '10.1.0.3', 'idle', 8, now() - interval '5 minutes'),
        (${`${tag} never seen`}, '10.1.0.4', 'idle', null, null),
        (${`${tag} busy`}, '10.1.0.5', 'busy', 8, now())
      returning id, model as label`;
    const find = async (state: 'idle' | 'returning' | 'busy') =>
      (await listDronesAdmin(t.db, { q: tag, page: 1, pageSize: 50, ...droneStateFilter(state) })).rows
        .map((r) => r.model.slice(tag.length + 1))
        .sort();
    expect(await find('returning')).toEqual(['flying home']);
    expect(await find('idle')).toEqual(['moving long ago', 'never seen', 'parked']);
    expect(await find('busy')).toEqual(['busy']);
    expect(rows).toHaveLength(5);
  });
});

describe('alerts', () => {
  it('name a drone by its call sign (and model), and give the figure apart for the page to word', async () => {
    const [d] = await t.sql<{ id: string; call_sign: string }[]>`
      insert into drones (model, ip_address, status, battery_level, last_seen_at)
      values ('Clover 4', '10.2.0.1', 'offline', 50, now() - interval '3 minutes') returning id, call_sign`;
    const [low] = await t.sql<{ id: string; call_sign: string }[]>`
      insert into drones (model, ip_address, status, battery_level, last_seen_at)
      values ('Clover 4', '10.2.0.2', 'idle', 12, now()) returning id, call_sign`;
    const alerts = await listAlerts(t.db, {
      lowBattery: 20,
      stuckDeliveryMin: 10,
      pendingOrderMin: 10,
      automatSilentMin: 10,
    });
    expect(alerts.find((a) => a.objectId === d!.id && a.kind === 'drone_offline')).toMatchObject({
      label: `${d!.call_sign} (Clover 4)`,
      value: null,
    });
    const battery = alerts.find((a) => a.objectId === low!.id && a.kind === 'low_battery');
    expect(battery?.label).toBe(`${low!.call_sign} (Clover 4)`);
    expect(Number(battery?.value)).toBe(12);
  });
});

describe('the map and the alerts', () => {
  it('share their thresholds: a locker is silent on the map exactly when the alerts list it', async () => {
    vi.stubEnv('ALERT_AUTOMAT_SILENT_MIN', '15');
    vi.stubEnv('ALERT_LOW_BATTERY', '30');
    vi.resetModules();
    try {
      const { fleetRules } = await import('@/lib/fleet-rules');
      const { alertThresholds } = await import('@/lib/admin/alerts');
      const rules = fleetRules();
      expect(rules).toEqual({ lowBattery: 30, automatSilentMs: 15 * 60_000 });
      expect(alertThresholds()).toMatchObject({ lowBattery: 30, automatSilentMin: 15 });
      const a = await makeAutomat(t.db);
      for (const minutes of [10, 20]) {
        await t.sql`
          update parcel_automats set last_seen_at = now() - make_interval(mins => ${minutes}) where id = ${a.id}`;
        const [snap] = snapshotAutomats((await listAutomatSummaries(t.db)).filter((x) => x.id === a.id));
        const onMap = automatState(snap!, Date.now(), rules);
        const alerts = await listAlerts(t.db, alertThresholds());
        const alerted = alerts.some((x) => x.objectId === a.id && x.kind === 'automat_silent');
        expect(onMap).toBe(minutes === 10 ? 'working' : 'silent');
        expect(alerted).toBe(onMap === 'silent');
      }
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe('the cell metric in words', () => {
  const say = (locale: (typeof LOCALES)[number], m: Parameters<typeof cellMetric>[0]) => {
    const tr = createTranslator({
      locale,
      messages: loadMessages(locale),
      namespace: 'adminFleet',
      timeZone: 'Europe/Moscow',
    });
    return cellMetricLabel((k, v) => tr(k as never, v as never), cellMetric(m));
  };

  it('reads the same figures in English and Russian, with plurals', () => {
    expect(say('en', { total: 11, available: 9, maintenance: 1 })).toBe('9 free of 10, 1 under maintenance');
    expect(say('ru', { total: 11, available: 9, maintenance: 1 })).toBe('свободно 9 из 10, 1 на обслуживании');
    expect(say('en', { total: 10, available: 9, maintenance: 0 })).toBe('9 free of 10');
    expect(say('ru', { total: 10, available: 9, maintenance: 0 })).toBe('свободно 9 из 10');
    expect(say('en', { total: 1, available: 0, maintenance: 1 })).toBe('its only cell is under maintenance');
    expect(say('ru', { total: 3, available: 0, maintenance: 3 })).toBe('все 3 на обслуживании');
    expect(say('en', { total: 0, available: 0, maintenance: 0 })).toBe('no cells');
    expect(say('ru', { total: 0, available: 0, maintenance: 0 })).toBe('нет ячеек');
  });
});
