import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import {
  currentPickupCode,
  encodePickupToken,
  issuePickupCode,
  PICKUP_TOKEN_TTL_MS,
  verifyPickupToken,
} from '@/lib/pickup/token';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { createOrder } from '@/lib/orders/order-flow';
import { scanPickupCode } from '@/lib/pickup/collect';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const secret = Buffer.from('test-pickup-secret-0123456789abcdef');
const opts = (now: Date) => ({ now, secret });

describe('pickup QR tokens', () => {
  it('a fresh token verifies to its user and records qr_issued_at / qr_expires_at 24 h apart', async () => {
    const user = await makeUser(t.db);
    const now = new Date('2026-11-24T09:00:00.123Z');
    const code = await issuePickupCode(t.db, user.id, opts(now));
    expect(code.expiresAt.getTime() - code.issuedAt.getTime()).toBe(PICKUP_TOKEN_TTL_MS);
    const [row] = await t.db
      .select({ i: users.qrIssuedAt, e: users.qrExpiresAt })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row).toEqual({ i: now, e: code.expiresAt });
    expect(await verifyPickupToken(t.db, code.token, opts(new Date('2026-11-24T20:00:00Z')))).toEqual({
      userId: user.id,
    });
  });

  it('GET returns the same token while valid; a new one is issued near expiry', async () => {
    const user = await makeUser(t.db);
    const a = await currentPickupCode(t.db, user.id, opts(new Date('2026-11-24T09:00:00Z')));
    const b = await currentPickupCode(t.db, user.id, opts(new Date('2026-11-24T15:00:00Z')));
    expect(b.token).toBe(a.token);
    const c = await currentPickupCode(t.db, user.id, opts(new Date('2026-11-25T08:59:30Z')));
    expect(c.token).not.toBe(a.token);
  });

  it('is short: 55 characters, SP2 and 38 bytes of base64url carrying a 128-bit MAC', async () => {
    const user = await makeUser(t.db);
    const { token } = await issuePickupCode(t.db, user.id, opts(new Date('2026-11-24T09:00:00.123Z')));
    expect(token).toMatch(/^SP2\.[A-Za-z0-9_-]{51}$/);
    expect(token).toHaveLength(55);
    expect(Buffer.from(token.slice(4), 'base64url').subarray(0, 16).toString('hex')).toBe(user.id.replaceAll('-', ''));
  });

  it('rejects tampered tokens with 403 invalid_qr', async () => {
    const user = await makeUser(t.db);
    const other = await makeUser(t.db);
    const now = new Date('2026-11-24T09:00:00Z');
    const { token } = await issuePickupCode(t.db, user.id, opts(now));
    const bytes = Buffer.from(token.slice(4), 'base64url');
    const altered = (edit: (b: Buffer) => void) => {
      const copy = Buffer.from(bytes);
      edit(copy);
      return `SP2.${copy.toString('base64url')}`;
    };
    const cases = [
      altered((b) => Buffer.from(other.id.replaceAll('-', ''), 'hex').copy(b, 0)), // someone else's id under this MAC
      altered((b) => b.writeUIntBE(now.getTime() + 1, 16, 6)), // another issue time
      altered((b) => (b[37] = b[37]! ^ 1)), // altered MAC
      `SP2.${bytes.subarray(0, 37).toString('base64url')}`, // truncated
      `SP2.${Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')}`, // extended
      `${token}!`, // a character the decoder would skip
      `${token.slice(0, 4)}${token.slice(4, 20)}.${token.slice(20)}`,
      encodePickupToken(user.id, now, Buffer.from('a-different-secret-0123456789abcd')), // not signed by us
      `SP1.${token.slice(4)}`,
      `SP3.${token.slice(4)}`,
      'hello',
      'SP2.',
      '',
    ];
    for (const bad of cases) {
      const err = await rejection(verifyPickupToken(t.db, bad, opts(now)));
      expect([err.status, err.code], bad).toEqual([403, 'invalid_qr']);
    }
    expect(await verifyPickupToken(t.db, token, opts(now))).toEqual({ userId: user.id });
  });

  it('pre-short-format codes (SP1) still verify, expire, open a waiting parcel and are spent by it', async () => {
    // SP1, as it was issued: base64url JSON claims and a full HMAC-SHA256 over "SP1.<payload>".
    const legacy = (userId: string, issuedAt: Date) => {
      const body = `SP1.${Buffer.from(JSON.stringify({ u: userId, i: issuedAt.getTime() })).toString('base64url')}`;
      return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    };
    const user = await makeUser(t.db);
    const now = new Date('2026-11-24T09:00:00.456Z');
    const code = await issuePickupCode(t.db, user.id, opts(now));
    const old = legacy(user.id, code.issuedAt);
    expect(old.length).toBeGreaterThan(120);
    expect(await verifyPickupToken(t.db, old, opts(new Date('2026-11-24T20:00:00Z')))).toEqual({ userId: user.id });
    const [v, payload, sig] = old.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ u: user.id, i: now.getTime() + 1 })).toString('base64url');
    const forged = `${v}.${forgedPayload}.${sig}`;
    for (const bad of [forged, `${v}.${payload}`, `${v}.${payload}.${sig.slice(0, -2)}AA`]) {
      expect((await rejection(verifyPickupToken(t.db, bad, opts(now)))).code, bad).toBe('invalid_qr');
    }
    expect((await rejection(verifyPickupToken(t.db, old, opts(new Date('2026-11-25T09:00:00.456Z'))))).code).toBe(
      'qr_expired',
    );

    // A parcel waiting for a customer who kept an SP1 code: the kiosk opens it with that code.
    const automat = await makeAutomat(t.db);
    const good = await makeGood(t.db);
    const order = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );
    await t.sql`update locker_cells_out set status = 'occupied' where id = ${order.lockerCellId}`;
    await t.sql`update orders set status = 'delivered' where id = ${order.id}`;
    const opened = await scanPickupCode(
      t.db,
      { automatId: automat.id, qr: old },
      opts(new Date('2026-11-24T12:00:00Z')),
    );
    expect(opened.map((o) => o.orderId)).toEqual([order.id]);
    // The pickup spent it, as it spends a short code.
    expect((await rejection(verifyPickupToken(t.db, old, opts(new Date('2026-11-24T12:00:01Z'))))).code).toBe(
      'qr_expired',
    );
  });

  it('rejects an expired token with 410 qr_expired', async () => {
    const user = await makeUser(t.db);
    const { token } = await issuePickupCode(t.db, user.id, opts(new Date('2026-11-20T09:00:00Z')));
    const err = await rejection(verifyPickupToken(t.db, token, opts(new Date('2026-11-21T09:00:00Z'))));
    expect([err.status, err.code]).toEqual([410, 'qr_expired']);
  });

  it('rejects a token superseded by a newer one (410), while the newer one verifies', async () => {
    const user = await makeUser(t.db);
    const old = await issuePickupCode(t.db, user.id, opts(new Date('2026-11-24T09:00:00Z')));
    const fresh = await issuePickupCode(t.db, user.id, opts(new Date('2026-11-24T09:30:00Z')));
    const now = new Date('2026-11-24T10:00:00Z');
    const err = await rejection(verifyPickupToken(t.db, old.token, opts(now)));
    expect([err.status, err.code]).toEqual([410, 'qr_expired']);
    expect(err.message).toMatch(/newer/);
    expect(await verifyPickupToken(t.db, fresh.token, opts(now))).toEqual({ userId: user.id });
  });
});
