import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Db } from '@/db';
import { drones, goods, lockerCellsInternal, lockerCellsOut, parcelAutomats, users } from '@/db/schema';

// Test data with random names, so files and tests never depend on each other's rows.

const rnd = () => randomUUID().slice(0, 8);
let aruco = 10_000 + Math.floor(Math.random() * 1_000_000);

export async function makeUser(db: Db, over: Partial<typeof users.$inferInsert> = {}) {
  const [u] = await db
    .insert(users)
    .values({ fullName: `Customer ${rnd()}`, email: `c-${rnd()}@example.com`, ...over })
    .returning({ id: users.id, email: users.email, phoneNumber: users.phoneNumber });
  if (!u) throw new Error('user insert failed');
  return u;
}

export async function makeGood(db: Db, over: Partial<typeof goods.$inferInsert> = {}) {
  const [g] = await db
    .insert(goods)
    .values({ name: `Good ${rnd()}`, weight: 1, height: 10, length: 20, width: 15, quantityAvailable: 10, ...over })
    .returning();
  if (!g) throw new Error('good insert failed');
  return g;
}

type CellSpec = { count: number; height?: number; length?: number; width?: number };

export async function makeAutomat(
  db: Db,
  opts: { isWorking?: boolean; external?: CellSpec[]; internal?: CellSpec[]; coordinates?: string } = {},
) {
  const external = opts.external ?? [{ count: 5 }];
  const internal = opts.internal ?? [{ count: 5 }];
  const total = [...external, ...internal].reduce((n, c) => n + c.count, 0);
  const [a] = await db
    .insert(parcelAutomats)
    .values({
      city: 'Moscow',
      address: `Test St., ${rnd()}`,
      numberOfCells: total,
      ipAddress: '10.0.0.1',
      coordinates: opts.coordinates ?? '55.7558,37.6173',
      arucoId: aruco++,
      isWorking: opts.isWorking ?? true,
    })
    .returning();
  if (!a) throw new Error('automat insert failed');
  let n = 1;
  const cells = (specs: CellSpec[]) =>
    specs.flatMap((c) =>
      Array.from({ length: c.count }, () => ({
        postId: a.id,
        height: c.height ?? 30,
        length: c.length ?? 40,
        width: c.width ?? 35,
        cellNumber: n++,
      })),
    );
  const out = cells(external);
  if (out.length) await db.insert(lockerCellsOut).values(out);
  const inn = cells(internal);
  if (inn.length) await db.insert(lockerCellsInternal).values(inn);
  return a;
}

/** An idle, charged, just-seen drone at a position: a candidate for the dispatcher. */
export async function makeIdleDroneAt(
  db: Db,
  { lat, lon, battery = 90 }: { lat: number; lon: number; battery?: number },
) {
  const [d] = await db
    .insert(drones)
    .values({
      model: 'Clover 4',
      ipAddress: '10.9.0.1',
      batteryLevel: battery,
      status: 'idle',
      lastLat: lat,
      lastLon: lon,
      positionRecordedAt: new Date(),
      lastSeenAt: new Date(),
    })
    .returning({ id: drones.id });
  return d!.id;
}

/** Takes the seeded fleet and orders out of dispatch, so a test places its own drones. */
export async function parkDispatch(sql: postgres.Sql) {
  await sql`update drones set status = 'maintenance' where status = 'idle'`;
  await sql`update orders set status = 'cancelled' where status = 'pending'`;
}
