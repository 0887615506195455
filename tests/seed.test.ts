import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseEmpty, seedDatabase, SEED_AUTOMATS } from '@/scripts/lib/seed';
import { hashDeviceKey } from '@/lib/device-keys/keys';
import { verifyPassword } from '@/lib/auth/password';
import { createTestDatabase, type TestDatabase } from './helpers/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const options = {
  adminPassword: 'admin-pass-123',
  customerPassword: 'client-pass-123',
  demoKeySeed: 'test-seed-value',
};

describe('seedDatabase', () => {
  it('seeds the spec sample data and the demo city into an empty database', async () => {
    expect(await isDatabaseEmpty(t.db)).toBe(true);
    const summary = await seedDatabase(t.db, options);
    expect(summary.inserted).toEqual({ users: 2, goods: 10, drones: 8, automats: 7, cells: 122 });
    expect(await isDatabaseEmpty(t.db)).toBe(false);

    const users = await t.sql<
      { email: string; role: string; phone_number: string; pass_hash: string }[]
    >`select email, role, phone_number, pass_hash from users order by email`;
    expect(users.map((u) => [u.email, u.role, u.phone_number])).toEqual([
      ['admin@skypost.com', 'admin', '+79991234567'],
      ['user@example.com', 'client', '+79997654321'],
    ]);
    expect(users[0]!.pass_hash).toMatch(/^\$2[aby]\$10\$/); // bcrypt, cost 10
    expect(await verifyPassword('admin-pass-123', users[0]!.pass_hash)).toBe(true);

    const spec = await t.sql`select name, weight, height, length, width, quantity_available from goods
      where name in ('Small Package', 'Medium Box', 'Large Parcel') order by weight`;
    expect(spec.map((g) => Object.values(g).join('|'))).toEqual([
      'Small Package|0.50|10.00|20.00|15.00|100',
      'Medium Box|2.00|20.00|30.00|25.00|50',
      'Large Parcel|5.00|30.00|40.00|35.00|25',
    ]);
    const clovers = await t.sql`select ip_address, battery_level from drones
      where ip_address in ('192.168.1.100', '192.168.1.101') order by 1`;
    expect(clovers.map((d) => `${d.ip_address}:${d.battery_level}`)).toEqual([
      '192.168.1.100:95.00',
      '192.168.1.101:88.50',
    ]);

    const [red] = await t.sql<
      { id: string; coordinates: string; number_of_cells: number }[]
    >`select id, coordinates, number_of_cells from parcel_automats where aruco_id = 101`;
    expect(red).toMatchObject({ coordinates: '55.7558,37.6173', number_of_cells: 20 });
    const out = await t.sql`select cell_number from locker_cells_out
      where post_id = ${red!.id} and height = 30 and length = 40 and width = 35 order by 1`;
    const inn = await t.sql`select cell_number from locker_cells_internal where post_id = ${red!.id} order by 1`;
    expect(out.map((c) => c.cell_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(inn.map((c) => c.cell_number)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);

    // Demo city: 6+ automats with real Moscow coordinates and mixed cell sizes.
    const city = await t.sql<{ coordinates: string; sizes: number }[]>`
      select a.coordinates,
        (select count(distinct (height, length, width))::int from locker_cells_out c where c.post_id = a.id) as sizes
      from parcel_automats a`;
    expect(city.length).toBeGreaterThanOrEqual(6);
    for (const a of city) {
      const [lat, lon] = a.coordinates.split(',').map(Number);
      expect(lat).toBeGreaterThan(55.7);
      expect(lat).toBeLessThan(55.8);
      expect(lon).toBeGreaterThan(37.5);
      expect(lon).toBeLessThan(37.7);
    }
    expect(city.filter((a) => a.sizes > 1).length).toBeGreaterThanOrEqual(4);
  });

  it('gives every demo device a key whose SHA-256 is stored, and reports only those keys', async () => {
    const summary = await seedDatabase(t.db, options);
    expect(summary.deviceKeys).toHaveLength(8 + SEED_AUTOMATS.length);
    for (const k of summary.deviceKeys) {
      const table = k.kind === 'drone' ? 'drones' : 'parcel_automats';
      const [row] = await t.sql.unsafe(`select api_key_hash from ${table} where id = $1`, [k.id]);
      expect(row?.api_key_hash).toBe(hashDeviceKey(k.key));
      expect(row?.api_key_hash).not.toContain(k.key);
    }
  });

  it('is idempotent: a second run inserts nothing and keeps rotated keys and edited rows', async () => {
    const before = await t.sql`select (select count(*)::int from users) u, (select count(*)::int from goods) g,
      (select count(*)::int from drones) d, (select count(*)::int from locker_cells_out) co,
      (select count(*)::int from locker_cells_internal) ci`;
    const rotated = 'a'.repeat(64);
    await t.sql`update drones set api_key_hash = ${rotated} where ip_address = '192.168.1.100'`;
    await t.sql`update goods set quantity_available = 7 where name = 'Small Package'`;

    const again = await seedDatabase(t.db, { ...options, adminPassword: 'a-different-password' });
    expect(again.inserted).toEqual({ users: 0, goods: 0, drones: 0, automats: 0, cells: 0 });
    const after = await t.sql`select (select count(*)::int from users) u, (select count(*)::int from goods) g,
      (select count(*)::int from drones) d, (select count(*)::int from locker_cells_out) co,
      (select count(*)::int from locker_cells_internal) ci`;
    expect(after).toEqual(before);

    const [drone] = await t.sql`select api_key_hash from drones where ip_address = '192.168.1.100'`;
    expect(drone?.api_key_hash).toBe(rotated);
    expect(again.deviceKeys.map((k) => k.label)).not.toContain('Clover 4 192.168.1.100');
    const [good] = await t.sql`select quantity_available from goods where name = 'Small Package'`;
    expect(good?.quantity_available).toBe(7);
    const [admin] = await t.sql<{ pass_hash: string }[]>`select pass_hash from users where email = 'admin@skypost.com'`;
    expect(await verifyPassword('admin-pass-123', admin!.pass_hash)).toBe(true);
  });

  it('derives the same demo keys from the same seed value, and none without one', async () => {
    const a = await seedDatabase(t.db, options);
    const b = await seedDatabase(t.db, options);
    expect(a.deviceKeys).toEqual(b.deviceKeys);
    const none = await seedDatabase(t.db, { ...options, demoKeySeed: null });
    expect(none.deviceKeys).toEqual([]);
  });
});
