import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { deriveDemoDeviceKey, hashDeviceKey, type DeviceKind } from '@/lib/device-keys/keys';
import type { Db, DbOrTx, Tx } from '@/db';
import { drones, goods, lockerCellsInternal, lockerCellsOut, parcelAutomats, users } from '@/db/schema';

// The spec's sample data plus a demo city (central Moscow). Idempotent: rows are matched on
// natural keys (email, good name, drone IP, ArUco id, automat + cell number) and only
// missing ones are inserted; existing rows, passwords and rotated device keys are left alone.

type CellSize = { height: number; length: number; width: number };
const S: CellSize = { height: 10, length: 40, width: 35 };
const M: CellSize = { height: 20, length: 40, width: 35 };
const L: CellSize = { height: 30, length: 40, width: 35 };
const XL: CellSize = { height: 45, length: 50, width: 40 };

type CellBlock = [count: number, size: CellSize];

type AutomatSeed = {
  city: string;
  address: string;
  ipAddress: string;
  coordinates: string;
  arucoId: number;
  isWorking: boolean;
  external: CellBlock[];
  internal: CellBlock[];
};

export const DEMO_BASE = { name: 'SkyPost Hub, Derbenevskaya Emb., 7', lat: 55.7262, lon: 37.6497 };

export const SEED_AUTOMATS: AutomatSeed[] = [
  // The spec's automat: cells 1-10 external, 11-20 internal, all 30x40x35.
  {
    city: 'Moscow',
    address: 'Red Square, 1',
    ipAddress: '192.168.1.50',
    coordinates: '55.7558,37.6173',
    arucoId: 101,
    isWorking: true,
    external: [[10, L]],
    internal: [[10, L]],
  },
  {
    city: 'Moscow',
    address: 'Tverskaya St., 7',
    ipAddress: '192.168.1.51',
    coordinates: '55.7577,37.6110',
    arucoId: 102,
    isWorking: true,
    external: [
      [4, S],
      [4, M],
      [2, L],
      [2, XL],
    ],
    internal: [[6, XL]],
  },
  {
    city: 'Moscow',
    address: 'Arbat St., 24',
    ipAddress: '192.168.1.52',
    coordinates: '55.7506,37.5937',
    arucoId: 103,
    isWorking: true,
    external: [
      [6, M],
      [4, L],
    ],
    internal: [[6, L]],
  },
  {
    city: 'Moscow',
    address: 'Krymsky Val, 9 (Gorky Park)',
    ipAddress: '192.168.1.53',
    coordinates: '55.7316,37.6036',
    arucoId: 104,
    isWorking: true,
    external: [
      [4, S],
      [4, L],
      [2, XL],
    ],
    internal: [[6, XL]],
  },
  {
    city: 'Moscow',
    address: 'Chistoprudny Blvd., 12',
    ipAddress: '192.168.1.54',
    coordinates: '55.7613,37.6420',
    arucoId: 105,
    isWorking: true,
    external: [
      [8, S],
      [2, M],
    ],
    internal: [[4, L]],
  },
  {
    city: 'Moscow',
    address: 'Paveletskaya Sq., 1',
    ipAddress: '192.168.1.55',
    coordinates: '55.7306,37.6388',
    arucoId: 106,
    isWorking: false,
    external: [
      [6, M],
      [6, L],
    ],
    internal: [[6, L]],
  },
  {
    city: 'Moscow',
    address: 'Presnenskaya Emb., 2 (Moscow City)',
    ipAddress: '192.168.1.56',
    coordinates: '55.7491,37.5395',
    arucoId: 107,
    isWorking: true,
    external: [
      [4, M],
      [6, L],
      [2, XL],
    ],
    internal: [[8, XL]],
  },
];

export const SEED_GOODS = [
  // The spec's three goods.
  { name: 'Small Package', weight: 0.5, height: 10, length: 20, width: 15, quantityAvailable: 100 },
  { name: 'Medium Box', weight: 2.0, height: 20, length: 30, width: 25, quantityAvailable: 50 },
  { name: 'Large Parcel', weight: 5.0, height: 30, length: 40, width: 35, quantityAvailable: 25 },
  { name: 'Phone Charger', weight: 0.2, height: 5, length: 12, width: 8, quantityAvailable: 200 },
  { name: 'Coffee Beans, 1 kg', weight: 1.0, height: 10, length: 25, width: 15, quantityAvailable: 80 },
  { name: 'Wireless Headphones', weight: 0.4, height: 8, length: 20, width: 18, quantityAvailable: 40 },
  { name: 'First Aid Kit', weight: 0.8, height: 10, length: 25, width: 18, quantityAvailable: 60 },
  { name: 'Board Game', weight: 1.5, height: 8, length: 30, width: 30, quantityAvailable: 15 },
  { name: 'Houseplant in Pot', weight: 2.5, height: 40, length: 25, width: 25, quantityAvailable: 12 },
  { name: 'Limited Edition Sneakers', weight: 1.2, height: 15, length: 35, width: 25, quantityAvailable: 3 },
];

export const SEED_DRONES = [
  // The spec's two drones.
  { model: 'Clover 4', ipAddress: '192.168.1.100', status: 'idle', batteryLevel: 95.0 },
  { model: 'Clover 4', ipAddress: '192.168.1.101', status: 'idle', batteryLevel: 88.5 },
  { model: 'Clover 4', ipAddress: '192.168.1.102', status: 'idle', batteryLevel: 100 },
  { model: 'Clover 4', ipAddress: '192.168.1.103', status: 'idle', batteryLevel: 76 },
  { model: 'Clover 4', ipAddress: '192.168.1.104', status: 'idle', batteryLevel: 64 },
  { model: 'Clover 4', ipAddress: '192.168.1.105', status: 'idle', batteryLevel: 92 },
  { model: 'Clover 4 Heavy', ipAddress: '192.168.1.106', status: 'idle', batteryLevel: 81 },
  { model: 'Clover 4 Heavy', ipAddress: '192.168.1.107', status: 'charging', batteryLevel: 23 },
] as const;

export const SEED_ADMIN_EMAIL = 'admin@skypost.com';
export const SEED_CUSTOMER_EMAIL = 'user@example.com';

export type SeedOptions = {
  /** null: no admin account is created (production without an explicit SEED_ADMIN_PASSWORD). */
  adminPassword: string | null;
  /** null: no demo customer is created (production). */
  customerPassword: string | null;
  /** When set, demo devices without a key get one derived from this value. Never in production. */
  demoKeySeed: string | null;
};

export type SeededDeviceKey = { kind: DeviceKind; id: string; label: string; key: string };

export type SeedSummary = {
  inserted: { users: number; goods: number; drones: number; automats: number; cells: number };
  logins: { role: 'admin' | 'client'; email: string; password: string }[];
  deviceKeys: SeededDeviceKey[];
};

const cellsFor = (blocks: CellBlock[], start: number) => {
  let n = start;
  return blocks.flatMap(([count, size]) => Array.from({ length: count }, () => ({ ...size, cellNumber: n++ })));
};

async function seedUsers(tx: Tx, opts: SeedOptions): Promise<number> {
  const rows = [
    ...(opts.adminPassword === null
      ? []
      : [
          {
            fullName: 'Admin User',
            email: SEED_ADMIN_EMAIL,
            phoneNumber: '+79991234567',
            phoneVerified: true,
            role: 'admin' as const,
            passHash: await hashPassword(opts.adminPassword),
          },
        ]),
    ...(opts.customerPassword === null
      ? []
      : [
          {
            fullName: 'Test User',
            email: SEED_CUSTOMER_EMAIL,
            phoneNumber: '+79997654321',
            phoneVerified: true,
            role: 'client' as const,
            passHash: await hashPassword(opts.customerPassword),
          },
        ]),
  ];
  if (rows.length === 0) return 0;
  const inserted = await tx.insert(users).values(rows).onConflictDoNothing().returning({ id: users.id });
  return inserted.length;
}

/** The logins a seed with these options creates (for the banner; none in production by default). */
export function seededLogins(opts: SeedOptions): SeedSummary['logins'] {
  return [
    ...(opts.adminPassword === null
      ? []
      : [{ role: 'admin' as const, email: SEED_ADMIN_EMAIL, password: opts.adminPassword }]),
    ...(opts.customerPassword === null
      ? []
      : [{ role: 'client' as const, email: SEED_CUSTOMER_EMAIL, password: opts.customerPassword }]),
  ];
}

export type DemoCredentialsInUse = { adminPassword: boolean; customerPassword: boolean; deviceKeys: SeededDeviceKey[] };

/**
 * Which public demo credentials still work in this database: the seeded accounts' demo
 * passwords, and device keys derived from any of `keySeeds` (the committed default seed is
 * public, so keys derived from it are known to anyone who has the repository).
 */
export async function demoCredentialsInUse(
  db: DbOrTx,
  demo: { adminPassword: string; customerPassword: string; keySeeds: string[] },
): Promise<DemoCredentialsInUse> {
  const rows = await db
    .select({ email: users.email, hash: users.passHash })
    .from(users)
    .where(inArray(users.email, [SEED_ADMIN_EMAIL, SEED_CUSTOMER_EMAIL]));
  const hashOf = (email: string) => rows.find((r) => r.email === email)?.hash ?? null;
  const [adminPassword, customerPassword] = await Promise.all([
    verifyPassword(demo.adminPassword, hashOf(SEED_ADMIN_EMAIL)),
    verifyPassword(demo.customerPassword, hashOf(SEED_CUSTOMER_EMAIL)),
  ]);
  const keys = (await Promise.all([...new Set(demo.keySeeds)].map((seed) => currentDemoDeviceKeys(db, seed)))).flat();
  return { adminPassword, customerPassword, deviceKeys: keys };
}

async function seedGoods(tx: Tx): Promise<number> {
  let n = 0;
  for (const g of SEED_GOODS) {
    const [exists] = await tx.select({ id: goods.id }).from(goods).where(eq(goods.name, g.name)).limit(1);
    if (!exists) {
      await tx.insert(goods).values(g);
      n++;
    }
  }
  return n;
}

async function seedDrones(tx: Tx): Promise<number> {
  let n = 0;
  for (const [i, d] of SEED_DRONES.entries()) {
    const [exists] = await tx.select({ id: drones.id }).from(drones).where(eq(drones.ipAddress, d.ipAddress)).limit(1);
    if (exists) continue;
    // Parked on the hub's pads, a few metres apart.
    await tx.insert(drones).values({
      ...d,
      lastLat: DEMO_BASE.lat + (i % 4) * 0.00005,
      lastLon: DEMO_BASE.lon + Math.floor(i / 4) * 0.00008,
    });
    n++;
  }
  return n;
}

async function seedAutomats(tx: Tx): Promise<{ automats: number; cells: number }> {
  let automats = 0;
  let cells = 0;
  for (const a of SEED_AUTOMATS) {
    const external = cellsFor(a.external, 1);
    const internal = cellsFor(a.internal, external.length + 1);
    const [created] = await tx
      .insert(parcelAutomats)
      .values({
        city: a.city,
        address: a.address,
        ipAddress: a.ipAddress,
        coordinates: a.coordinates,
        arucoId: a.arucoId,
        isWorking: a.isWorking,
        numberOfCells: external.length + internal.length,
      })
      .onConflictDoNothing({ target: parcelAutomats.arucoId })
      .returning({ id: parcelAutomats.id });
    if (created) automats++;
    const [automat] = await tx
      .select({ id: parcelAutomats.id })
      .from(parcelAutomats)
      .where(eq(parcelAutomats.arucoId, a.arucoId));
    if (!automat) throw new Error(`Seed: automat ${a.arucoId} vanished`);
    const out = await tx
      .insert(lockerCellsOut)
      .values(external.map((c) => ({ ...c, postId: automat.id })))
      .onConflictDoNothing()
      .returning({ id: lockerCellsOut.id });
    const inn = await tx
      .insert(lockerCellsInternal)
      .values(internal.map((c) => ({ ...c, postId: automat.id })))
      .onConflictDoNothing()
      .returning({ id: lockerCellsInternal.id });
    cells += out.length + inn.length;
  }
  return { automats, cells };
}

function demoDevices(seed: string) {
  return [
    ...SEED_DRONES.map((d) => ({
      kind: 'drone' as const,
      natural: d.ipAddress,
      label: `${d.model} ${d.ipAddress}`,
      key: deriveDemoDeviceKey(seed, 'drone', d.ipAddress),
    })),
    ...SEED_AUTOMATS.map((a) => ({
      kind: 'automat' as const,
      natural: String(a.arucoId),
      label: `${a.address} (ArUco ${a.arucoId})`,
      key: deriveDemoDeviceKey(seed, 'automat', String(a.arucoId)),
    })),
  ];
}

/** Gives demo devices that have no key yet their derived demo key. */
async function assignDemoDeviceKeys(tx: Tx, seed: string) {
  for (const d of demoDevices(seed)) {
    const apiKeyHash = hashDeviceKey(d.key);
    if (d.kind === 'drone') {
      await tx
        .update(drones)
        .set({ apiKeyHash })
        .where(and(eq(drones.ipAddress, d.natural), isNull(drones.apiKeyHash)));
    } else {
      await tx
        .update(parcelAutomats)
        .set({ apiKeyHash })
        .where(and(eq(parcelAutomats.arucoId, Number(d.natural)), isNull(parcelAutomats.apiKeyHash)));
    }
  }
}

/** The demo keys that are still current (an admin may have rotated or revoked some). */
export async function currentDemoDeviceKeys(db: DbOrTx, seed: string): Promise<SeededDeviceKey[]> {
  const devices = demoDevices(seed).map((d) => ({ ...d, hash: hashDeviceKey(d.key) }));
  const hashes = devices.map((d) => d.hash);
  const [droneRows, automatRows] = await Promise.all([
    db.select({ id: drones.id, hash: drones.apiKeyHash }).from(drones).where(inArray(drones.apiKeyHash, hashes)),
    db
      .select({ id: parcelAutomats.id, hash: parcelAutomats.apiKeyHash })
      .from(parcelAutomats)
      .where(inArray(parcelAutomats.apiKeyHash, hashes)),
  ]);
  const byHash = new Map([...droneRows, ...automatRows].map((r) => [r.hash, r.id]));
  return devices.flatMap((d) => {
    const id = byHash.get(d.hash);
    return id ? [{ kind: d.kind, id, label: d.label, key: d.key }] : [];
  });
}

/** Seeds the spec's sample data and the demo city in one transaction. */
export async function seedDatabase(db: Db, opts: SeedOptions): Promise<SeedSummary> {
  return db.transaction(async (tx) => {
    // Two seeders at once (two launchers) wait for each other instead of racing.
    await tx.execute(sql`select pg_advisory_xact_lock(727275)`);
    const insertedUsers = await seedUsers(tx, opts);
    const insertedGoods = await seedGoods(tx);
    const insertedDrones = await seedDrones(tx);
    const { automats, cells } = await seedAutomats(tx);
    if (opts.demoKeySeed) await assignDemoDeviceKeys(tx, opts.demoKeySeed);
    const deviceKeys = opts.demoKeySeed ? await currentDemoDeviceKeys(tx, opts.demoKeySeed) : [];
    return {
      inserted: { users: insertedUsers, goods: insertedGoods, drones: insertedDrones, automats, cells },
      logins: seededLogins(opts),
      deviceKeys,
    };
  });
}

/** True when the database holds no users yet (a fresh install the launcher should seed). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return (row?.n ?? 0) === 0;
}
