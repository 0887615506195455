import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import { currentPickupCode, encodePickupToken, issuePickupCode, PICKUP_TOKEN_TTL_MS, verifyPickupToken } from '@/lib/pickup/token';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeUser } from './helpers/factories';

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
    const [row] = await t.db.select({ i: users.qrIssuedAt, e: users.qrExpiresAt }).from(users).where(eq(users.id, user.id));
    expect(row).toEqual({ i: now, e: code.expiresAt });
    expect(await verifyPickupToken(t.db, code.token, opts(new Date('2026-11-24T20:00:00Z')))).toEqual({ userId: user.id });
  });

  it('GET returns the same token while valid; a new one is issued near expiry', async () => {
    const user = await makeUser(t.db);
    const a = await currentPickupCode(t.db, user.id, opts(new Date('2026-11-24T09:00:00Z')));
    const b = await currentPickupCode(t.db, user.id, opts(new Date('2026-11-24T15:00:00Z')));
    expect(b.token).toBe(a.token);
    const c = await currentPickupCode(t.db, user.id, opts(new Date('2026-11-25T08:59:30Z')));
    expect(c.token).not.toBe(a.token);
  });

  it('rejects tampered tokens with 403 invalid_qr', async () => {
    const user = await makeUser(t.db);
    const other = await makeUser(t.db);
    const now = new Date('2026-11-24T09:00:00Z');
    const { token } = await issuePickupCode(t.db, user.id, opts(now));
    const [v, payload, sig] = token.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ u: other.id, i: now.getTime() })).toString('base64url');
    const flippedSig = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    const cases = [
      `${v}.${forgedPayload}.${sig}`, // someone else's id under this signature
      `${v}.${payload}.${flippedSig}`, // altered signature
      encodePickupToken(user.id, now, Buffer.from('a-different-secret-0123456789abcd')), // not signed by us
      'hello',
      `${v}.${payload}`,
      `SP2.${payload}.${sig}`,
      '',
    ];
    for (const bad of cases) {
      const err = await rejection(verifyPickupToken(t.db, bad, opts(now)));
      expect([err.status, err.code], bad).toEqual([403, 'invalid_qr']);
    }
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
