import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parcelAutomats } from '@/db/schema';
import {
  hashStaffPin,
  openStaffMode,
  setStaffPin,
  STAFF_IDLE_SECONDS,
  STAFF_PIN_LIMIT,
  verifyStaffPin,
} from '@/lib/kiosk/staff-pin';
import { isTrivialPin, staffPinSetSchema, staffSessionSchema } from '@/lib/validation/kiosk';
import { rejection } from './helpers/assert';
import { createTestDatabase, pgErrorOf, type TestDatabase } from './helpers/db';
import { makeAutomat } from './helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const PIN = '480317';

async function storedHash(automatId: string) {
  const [row] = await t.db
    .select({ hash: parcelAutomats.staffPinHash })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.id, automatId));
  return row?.hash ?? null;
}

describe('kiosk staff PIN: hashing', () => {
  it('stores a salted scrypt hash that verifies only the same PIN', async () => {
    const a = await hashStaffPin(PIN);
    const b = await hashStaffPin(PIN);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(a).not.toContain(PIN);
    expect(await verifyStaffPin(PIN, a)).toBe(true);
    expect(await verifyStaffPin('480318', a)).toBe(false);
    expect(await verifyStaffPin('4803170', a)).toBe(false);
  });

  it('a malformed stored hash never matches', async () => {
    const good = await hashStaffPin(PIN);
    const parts = good.split('$');
    for (const bad of [
      '',
      PIN,
      'scrypt$1$1',
      `bcrypt$${parts.slice(1).join('$')}`,
      `scrypt$abc$8$1$${parts[4]}$${parts[5]}`,
      `scrypt$16384$8$1$${parts[4]}$${parts[5]!.slice(0, 20)}`,
    ]) {
      expect(await verifyStaffPin(PIN, bad), bad).toBe(false);
    }
  });

  it('the database refuses anything but the hash format in staff_pin_hash', async () => {
    const automat = await makeAutomat(t.db);
    const err = await pgErrorOf(() =>
      t.db.update(parcelAutomats).set({ staffPinHash: PIN }).where(eq(parcelAutomats.id, automat.id)),
    );
    expect(err).toEqual({ code: '23514', constraint: 'parcel_automats_staff_pin_hash_check' });
  });

  it('refuses short, non-digit and trivial PINs when one is chosen; any well-formed PIN may be tried', () => {
    for (const pin of [
      '12345',
      '1234567890123',
      '12a456',
      ' 480317',
      '000000',
      '111111111',
      '123456',
      '987654',
      '0123456789',
    ]) {
      expect(staffPinSetSchema.safeParse({ pin }).success, pin).toBe(false);
    }
    for (const pin of ['480317', '135790', '11112222', '123457'])
      expect(staffPinSetSchema.safeParse({ pin }).success, pin).toBe(true);
    expect(isTrivialPin('121212')).toBe(false);
    expect(staffSessionSchema.safeParse({ pin: '123456' }).success).toBe(true);
    expect(staffSessionSchema.safeParse({ pin: 123456 }).success).toBe(false);
    expect(staffSessionSchema.safeParse({}).success).toBe(false);
  });
});

describe('kiosk staff PIN: opening staff mode', () => {
  it('opens with the PIN set at pairing, and a new pairing replaces it', async () => {
    const automat = await makeAutomat(t.db);
    await setStaffPin(t.db, { automatId: automat.id, pin: PIN });
    expect(await storedHash(automat.id)).toMatch(/^scrypt\$/);
    expect(await openStaffMode(t.db, { automatId: automat.id, pin: PIN })).toEqual({ idleSeconds: STAFF_IDLE_SECONDS });
    await setStaffPin(t.db, { automatId: automat.id, pin: '902714' });
    const old = await rejection(openStaffMode(t.db, { automatId: automat.id, pin: PIN }));
    expect([old.status, old.code]).toEqual([403, 'invalid_pin']);
    expect(await openStaffMode(t.db, { automatId: automat.id, pin: '902714' })).toEqual({
      idleSeconds: STAFF_IDLE_SECONDS,
    });
  });

  it('another locker’s staff PIN does not open this one', async () => {
    const a = await makeAutomat(t.db);
    const b = await makeAutomat(t.db);
    await setStaffPin(t.db, { automatId: a.id, pin: PIN });
    await setStaffPin(t.db, { automatId: b.id, pin: '902714' });
    expect((await rejection(openStaffMode(t.db, { automatId: b.id, pin: PIN }))).code).toBe('invalid_pin');
  });

  it('a locker without a staff PIN answers 409 conflict, and that is not counted as a wrong PIN', async () => {
    const automat = await makeAutomat(t.db);
    const now = new Date('2026-11-28T10:00:00Z');
    for (let i = 0; i < STAFF_PIN_LIMIT.limit + 2; i++) {
      const e = await rejection(openStaffMode(t.db, { automatId: automat.id, pin: PIN }, { now }));
      expect([e.status, e.code]).toEqual([409, 'conflict']);
    }
    await setStaffPin(t.db, { automatId: automat.id, pin: PIN });
    expect(await openStaffMode(t.db, { automatId: automat.id, pin: PIN }, { now })).toEqual({
      idleSeconds: STAFF_IDLE_SECONDS,
    });
  });

  it('5 bad PINs, then 429 + Retry-After at that locker, even the right PIN, till window end; others ok', async () => {
    const busy = await makeAutomat(t.db);
    const other = await makeAutomat(t.db);
    await setStaffPin(t.db, { automatId: busy.id, pin: PIN });
    await setStaffPin(t.db, { automatId: other.id, pin: PIN });
    const now = new Date('2026-11-28T11:00:00Z');
    // Right PINs are given back: they never use up the allowance.
    for (let i = 0; i < 3; i++) await openStaffMode(t.db, { automatId: busy.id, pin: PIN }, { now });
    for (let i = 0; i < STAFF_PIN_LIMIT.limit; i++) {
      expect((await rejection(openStaffMode(t.db, { automatId: busy.id, pin: `11111${i}7` }, { now }))).code).toBe(
        'invalid_pin',
      );
    }
    const later = new Date(now.getTime() + 60_000);
    const refused = await rejection(openStaffMode(t.db, { automatId: busy.id, pin: PIN }, { now: later }));
    expect([refused.status, refused.code, refused.headers?.['Retry-After']]).toEqual([
      429,
      'rate_limited',
      String(9 * 60),
    ]);
    expect(await openStaffMode(t.db, { automatId: other.id, pin: PIN }, { now: later })).toEqual({
      idleSeconds: STAFF_IDLE_SECONDS,
    });
    expect(
      await openStaffMode(t.db, { automatId: busy.id, pin: PIN }, { now: new Date(now.getTime() + 10 * 60_000) }),
    ).toEqual({ idleSeconds: STAFF_IDLE_SECONDS });
  });

  it('12 wrong PINs at once: at most 5 are checked, the rest are 429', async () => {
    const automat = await makeAutomat(t.db);
    await setStaffPin(t.db, { automatId: automat.id, pin: PIN });
    const now = new Date('2026-11-28T12:00:00Z');
    const errors = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        rejection(openStaffMode(t.db, { automatId: automat.id, pin: `5550${String(i).padStart(2, '0')}` }, { now })),
      ),
    );
    const codes = errors.map((e) => e.code).sort();
    expect(codes.filter((c) => c === 'invalid_pin')).toHaveLength(STAFF_PIN_LIMIT.limit);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(12 - STAFF_PIN_LIMIT.limit);
  });

  it('an unknown locker is 404 and nothing is stored', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await rejection(setStaffPin(t.db, { automatId: missing, pin: PIN }))).code).toBe('not_found');
    expect((await rejection(openStaffMode(t.db, { automatId: missing, pin: PIN }))).code).toBe('not_found');
  });
});
