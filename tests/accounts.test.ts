import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import { registerUser, updateProfile } from '@/lib/accounts/register';
import {
  hashPhoneCode,
  MAX_CODE_ATTEMPTS,
  PHONE_RATE_LIMITS,
  requestPhoneCode,
  verifyPhoneCode,
} from '@/lib/accounts/phone';
import { registerPushToken } from '@/lib/accounts/push-tokens';
import { verifyPassword } from '@/lib/auth/password';
import { httpSmsSender, type SmsSender } from '@/lib/sms/sender';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeUser } from './helpers/factories';
import { phoneCodeRequestSchema } from '@/lib/validation/accounts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/** The SMS gateway is outside our network: this double records what would be sent. */
function capturingSender() {
  const sent: { to: string; text: string }[] = [];
  const sender: SmsSender = {
    async send(to, text) {
      sent.push({ to, text });
    },
  };
  const lastCode = () => /\b(\d{6})\b/.exec(sent.at(-1)?.text ?? '')?.[1] ?? '';
  return { sender, sent, lastCode };
}

// Tests run without NEXTAUTH_SECRET; the code HMAC's key is passed in instead.
const SECRET = Buffer.alloc(32, 7);
const requestCode = (...[db, input, deps]: Parameters<typeof requestPhoneCode>) =>
  requestPhoneCode(db, input, { ...deps, secret: SECRET });
const verifyCode = (db: TestDatabase['db'], input: { phoneNumber: string; code: string }, now: Date) =>
  verifyPhoneCode(db, input, { now, secret: SECRET });

let phoneSeq = 1_000_000;
const newPhone = () => `+7999${phoneSeq++}`;
let ipSeq = 1;
const newIp = () => `10.1.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}`;

describe('registration', () => {
  it('creates a client with a bcrypt hash and a lower-case email; a duplicate email is 409 email_taken', async () => {
    const user = await registerUser(t.db, {
      fullName: 'Ada Lovelace',
      email: 'Ada@Example.com',
      password: 'analytical-engine',
    });
    expect(user).toMatchObject({ fullName: 'Ada Lovelace', email: 'ada@example.com', role: 'client' });
    const [row] = await t.db.select({ hash: users.passHash }).from(users).where(eq(users.id, user.id));
    expect(await verifyPassword('analytical-engine', row?.hash)).toBe(true);
    const dup = await rejection(
      registerUser(t.db, { fullName: 'Another', email: 'ADA@example.com', password: 'whatever-123' }),
    );
    // the contract: fields only on validation errors
    expect([dup.status, dup.code, dup.fields]).toEqual([409, 'email_taken', undefined]);
  });

  it('updates the profile, refusing another account’s email', async () => {
    const a = await makeUser(t.db);
    const b = await makeUser(t.db);
    const updated = await updateProfile(t.db, a.id, { fullName: 'New Name', email: 'new-name@example.com' });
    expect(updated).toMatchObject({ fullName: 'New Name', email: 'new-name@example.com' });
    const clash = await rejection(updateProfile(t.db, a.id, { fullName: 'X', email: b.email! }));
    expect(clash.code).toBe('email_taken');
  });
});

describe('phone sign-in codes', () => {
  it('sends a 6-digit code valid 5 minutes, creates the account on first use, and accepts it once', async () => {
    const sms = capturingSender();
    const phone = newPhone();
    const now = new Date('2026-11-24T10:00:00Z');
    const { expiresAt } = await requestCode(
      t.db,
      { phoneNumber: phone, fullName: 'Phone User', ip: newIp() },
      { sender: sms.sender, now },
    );
    expect(expiresAt.toISOString()).toBe('2026-11-24T10:05:00.000Z');
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]?.to).toBe(phone);
    expect(sms.lastCode()).toMatch(/^\d{6}$/);

    const ok = await verifyCode(t.db, { phoneNumber: phone, code: sms.lastCode() }, new Date('2026-11-24T10:04:59Z'));
    expect(ok).toMatchObject({ ok: true, user: { fullName: 'Phone User', phoneNumber: phone, role: 'client' } });
    const [row] = await t.db
      .select({ verified: users.phoneVerified, code: users.verificationCode })
      .from(users)
      .where(eq(users.phoneNumber, phone));
    expect(row).toEqual({ verified: true, code: null });
    // Single use.
    expect(
      await verifyCode(t.db, { phoneNumber: phone, code: sms.lastCode() }, new Date('2026-11-24T10:05:00Z')),
    ).toEqual({ ok: false, reason: 'no_code' });
  });

  it('stores only an HMAC of the code, bound to the phone number and the key', async () => {
    const sms = capturingSender();
    const phone = newPhone();
    const now = new Date('2026-11-24T09:00:00Z');
    await requestCode(t.db, { phoneNumber: phone, ip: newIp() }, { sender: sms.sender, now });
    const code = sms.lastCode();
    const [row] = await t.db.select({ stored: users.verificationCode }).from(users).where(eq(users.phoneNumber, phone));
    expect(row?.stored).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.stored).not.toContain(code);
    expect(row?.stored).toBe(hashPhoneCode(phone, code, SECRET));
    expect(hashPhoneCode(newPhone(), code, SECRET)).not.toBe(row?.stored);
    expect(hashPhoneCode(phone, code, Buffer.alloc(32, 8))).not.toBe(row?.stored);
    // Under another key the right code does not match (and counts as a wrong attempt).
    expect(await verifyPhoneCode(t.db, { phoneNumber: phone, code }, { now, secret: Buffer.alloc(32, 8) })).toEqual({
      ok: false,
      reason: 'wrong_code',
    });
    expect((await verifyCode(t.db, { phoneNumber: phone, code }, now)).ok).toBe(true);
  });

  it('rejects an expired code', async () => {
    const sms = capturingSender();
    const phone = newPhone();
    const now = new Date('2026-11-24T11:00:00Z');
    await requestCode(t.db, { phoneNumber: phone, ip: newIp() }, { sender: sms.sender, now });
    const late = await verifyCode(t.db, { phoneNumber: phone, code: sms.lastCode() }, new Date('2026-11-24T11:05:00Z'));
    expect(late).toEqual({ ok: false, reason: 'expired' });
    expect(
      await verifyCode(t.db, { phoneNumber: phone, code: sms.lastCode() }, new Date('2026-11-24T11:04:00Z')),
    ).toEqual({ ok: false, reason: 'no_code' });
  });

  it('voids the code at the 5th wrong attempt, so even the right code then fails', async () => {
    const sms = capturingSender();
    const phone = newPhone();
    const now = new Date('2026-11-24T12:00:00Z');
    await requestCode(t.db, { phoneNumber: phone, ip: newIp() }, { sender: sms.sender, now });
    const right = sms.lastCode();
    const wrong = right === '000000' ? '111111' : '000000';
    const reasons = [];
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++)
      reasons.push((await verifyCode(t.db, { phoneNumber: phone, code: wrong }, now)) as { reason: string });
    expect(reasons.map((r) => r.reason)).toEqual([
      'wrong_code',
      'wrong_code',
      'wrong_code',
      'wrong_code',
      'too_many_attempts',
    ]);
    expect(await verifyCode(t.db, { phoneNumber: phone, code: right }, now)).toEqual({ ok: false, reason: 'no_code' });
  });

  it('four wrong attempts then the right code still signs in', async () => {
    const sms = capturingSender();
    const phone = newPhone();
    const now = new Date('2026-11-24T12:30:00Z');
    await requestCode(t.db, { phoneNumber: phone, ip: newIp() }, { sender: sms.sender, now });
    const right = sms.lastCode();
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < MAX_CODE_ATTEMPTS - 1; i++) await verifyCode(t.db, { phoneNumber: phone, code: wrong }, now);
    expect((await verifyCode(t.db, { phoneNumber: phone, code: right }, now)).ok).toBe(true);
  });

  it('rate limits per phone (429 with Retry-After) and sends nothing when limited', async () => {
    const sms = capturingSender();
    const phone = newPhone();
    const now = new Date('2026-11-24T13:00:10Z');
    await requestCode(t.db, { phoneNumber: phone, ip: newIp() }, { sender: sms.sender, now });
    const again = await rejection(
      requestCode(
        t.db,
        { phoneNumber: phone, ip: newIp() },
        { sender: sms.sender, now: new Date('2026-11-24T13:00:15Z') },
      ),
    );
    expect([again.status, again.code]).toEqual([429, 'rate_limited']);
    expect(Number(again.headers?.['Retry-After'])).toBeGreaterThan(0);
    expect(Number(again.headers?.['Retry-After'])).toBeLessThanOrEqual(PHONE_RATE_LIMITS.perPhoneBurst.windowSeconds);
    expect(sms.sent).toHaveLength(1);
    // After the burst window a new code may be requested, up to the hourly cap.
    await requestCode(
      t.db,
      { phoneNumber: phone, ip: newIp() },
      { sender: sms.sender, now: new Date('2026-11-24T13:00:31Z') },
    );
    expect(sms.sent).toHaveLength(2);
  });

  it('a number written with spaces, dashes or brackets is the same number: its limit applies', async () => {
    const sms = capturingSender();
    const phone = newPhone(); // +7999NNNNNNN
    const spaced = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    const parsed = phoneCodeRequestSchema.parse({ phone_number: spaced });
    expect(parsed.phone_number).toBe(phone);
    const now = new Date('2026-11-24T15:00:10Z');
    await requestCode(t.db, { phoneNumber: phone, ip: newIp() }, { sender: sms.sender, now });
    const again = await rejection(
      requestCode(t.db, { phoneNumber: parsed.phone_number, ip: newIp() }, { sender: sms.sender, now }),
    );
    expect([again.status, again.code]).toEqual([429, 'rate_limited']);
    expect(sms.sent).toHaveLength(1);
  });

  it('rate limits per client IP across many phone numbers', async () => {
    const sms = capturingSender();
    const ip = newIp();
    const now = new Date('2026-11-24T14:10:00Z');
    const limit = PHONE_RATE_LIMITS.perIpHour.limit;
    for (let i = 0; i < limit; i++)
      await requestCode(t.db, { phoneNumber: newPhone(), ip }, { sender: sms.sender, now });
    const over = await rejection(requestCode(t.db, { phoneNumber: newPhone(), ip }, { sender: sms.sender, now }));
    expect([over.status, over.code]).toEqual([429, 'rate_limited']);
    expect(sms.sent).toHaveLength(limit);
    // Another IP is not affected.
    await requestCode(t.db, { phoneNumber: newPhone(), ip: newIp() }, { sender: sms.sender, now });
  });

  it('the HTTP sender posts {to, text} as JSON with the bearer token; a failing gateway is a 503', async () => {
    const received: { body: unknown; auth: string | undefined }[] = [];
    let status = 202;
    const server = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c) => (data += String(c)));
      req.on('end', () => {
        received.push({ body: JSON.parse(data), auth: req.headers.authorization });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    try {
      await httpSmsSender(url, 'gw-token').send('+79990000000', 'Your SkyPost code is 123456.');
      expect(received).toEqual([
        { body: { to: '+79990000000', text: 'Your SkyPost code is 123456.' }, auth: 'Bearer gw-token' },
      ]);
      status = 500;
      const err = await rejection(httpSmsSender(url).send('+79990000000', 'x'));
      expect([err.status, err.code]).toEqual([503, 'service_unavailable']);
    } finally {
      server.close();
    }
  });
});

describe('device tokens', () => {
  it('upserts on the token: the same token updates platform and owner instead of duplicating', async () => {
    const a = await makeUser(t.db);
    const b = await makeUser(t.db);
    const first = await registerPushToken(t.db, { userId: a.id, token: 'fcm-token-1', platform: 'android' });
    const again = await registerPushToken(t.db, { userId: b.id, token: 'fcm-token-1', platform: 'ios' });
    expect(again.id).toBe(first.id);
    expect(again.platform).toBe('ios');
    expect(again.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    const rows = await t.sql`select user_id, platform from user_devices where token = 'fcm-token-1'`;
    expect(rows).toEqual([{ user_id: b.id, platform: 'ios' }]);
  });
});

describe('rate-limit housekeeping', () => {
  it('prunes windows older than a day and keeps recent ones', async () => {
    const { hitRateLimit, pruneRateLimits } = await import('@/lib/rate-limit');
    const rule = { bucket: 'prune_test', limit: 5, windowSeconds: 60 };
    const now = new Date('2026-11-24T12:00:00Z');
    await hitRateLimit(t.db, { rule, key: 'old', now: new Date(now.getTime() - 2 * 86_400_000) });
    await hitRateLimit(t.db, { rule, key: 'recent', now: new Date(now.getTime() - 3_600_000) });
    await pruneRateLimits(t.db, now);
    const rows = await t.sql`select key from rate_limit_counters where bucket = 'prune_test' order by key`;
    expect(rows.map((r) => r.key)).toEqual(['recent']);
  });
});
