import { eq } from 'drizzle-orm';
import type { getServerSession } from 'next-auth';
import type { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '@/db/schema';
import { changePassword, revokeSessions } from '@/lib/accounts/sessions';
import { changeUserRole } from '@/lib/admin/users';
import type { authOptions } from '@/lib/auth/options';
import { hashPassword } from '@/lib/auth/password';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeUser } from './helpers/factories';

// Session revocation through next-auth's real session pipeline (the one getServerSession and
// GET /api/auth/session use): a JWT carrying an older users.session_version is refused.

const SECRET = 'x'.repeat(48);
const COOKIE = 'next-auth.session-token';

let t: TestDatabase;
let auth: {
  getServerSession: typeof getServerSession;
  encode: typeof encode;
  authOptions: typeof authOptions;
};

beforeAll(async () => {
  t = await createTestDatabase();
  // The jwt callback reads the process-wide pool and secret: point them at this test database.
  vi.resetModules();
  vi.stubEnv('DATABASE_URL', t.url);
  vi.stubEnv('NEXTAUTH_SECRET', SECRET);
  vi.stubEnv('NEXTAUTH_URL', 'http://127.0.0.1:3999');
  (globalThis as { skypostPool?: unknown }).skypostPool = undefined;
  const [nextAuth, jwt, options] = await Promise.all([
    import('next-auth'),
    import('next-auth/jwt'),
    import('@/lib/auth/options'),
  ]);
  auth = { getServerSession: nextAuth.getServerSession, encode: jwt.encode, authOptions: options.authOptions };
});
afterAll(async () => {
  const pool = (globalThis as { skypostPool?: { sql: { end(o: object): Promise<void> } } }).skypostPool;
  await pool?.sql.end({ timeout: 1 });
  (globalThis as { skypostPool?: unknown }).skypostPool = undefined;
  vi.unstubAllEnvs();
  await t?.drop();
});

async function tokenFor(userId: string, sv: number | undefined) {
  return auth.encode({
    token: { sub: userId, name: 'N', email: null, role: 'client', ...(sv === undefined ? {} : { sv }) },
    secret: SECRET,
  });
}

/**
 * What the session pipeline answers for this cookie: the session's user (or none) and whether the cookie is cleared.
 */
async function readSession(cookie: string) {
  let setCookie: string[] = [];
  const req = { headers: {}, cookies: { [COOKIE]: cookie } };
  const res = {
    getHeader: () => setCookie,
    setHeader: (_name: string, value: string[]) => {
      setCookie = value;
    },
  };
  const session = await auth.getServerSession(req as never, res as never, auth.authOptions());
  const cleared = setCookie.some((c) => c.startsWith(`${COOKIE}=;`) && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c));
  return { user: session?.user, cleared };
}

const versionOf = async (id: string) =>
  (await t.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, id)))[0]?.v;

describe('session_version', () => {
  it('accepts a session with the current version and refreshes the user from the database', async () => {
    const u = await makeUser(t.db);
    const s = await readSession(await tokenFor(u.id, 0));
    expect(s.user).toMatchObject({ id: u.id, email: u.email, role: 'client' });
    expect(s.cleared).toBe(false);
    // Sessions from before versions existed carry none; they count as version 0.
    expect((await readSession(await tokenFor(u.id, undefined))).user?.id).toBe(u.id);
  });

  it('sign out everywhere: a token issued before the bump is refused and its cookie cleared', async () => {
    const u = await makeUser(t.db);
    const before = await tokenFor(u.id, 0);
    expect(await revokeSessions(t.db, u.id)).toBe(1);
    expect(await readSession(before)).toEqual({ user: undefined, cleared: true });
    // A session issued after the bump works.
    expect((await readSession(await tokenFor(u.id, 1))).user?.id).toBe(u.id);
  });

  it('a password change bumps the version; a wrong current password changes nothing', async () => {
    const u = await makeUser(t.db, { passHash: await hashPassword('old-password-1') });
    const before = await tokenFor(u.id, 0);
    const wrong = await rejection(
      changePassword(t.db, u.id, { currentPassword: 'not-it', newPassword: 'new-password-1' }),
    );
    expect([wrong.status, wrong.code, Object.keys(wrong.fields ?? {})]).toEqual([
      400,
      'validation_failed',
      ['current_password'],
    ]);
    expect(await versionOf(u.id)).toBe(0);
    expect((await readSession(before)).user?.id).toBe(u.id);

    await changePassword(t.db, u.id, { currentPassword: 'old-password-1', newPassword: 'new-password-1' });
    expect(await versionOf(u.id)).toBe(1);
    expect((await readSession(before)).user).toBeUndefined();
    const [row] = await t.db.select({ h: users.passHash }).from(users).where(eq(users.id, u.id));
    const { verifyPassword } = await import('@/lib/auth/password');
    expect(await verifyPassword('new-password-1', row?.h)).toBe(true);
  });

  it('an account without a password (made by phone) cannot get one through a session', async () => {
    const u = await makeUser(t.db, { email: null, phoneNumber: '+79995550101' });
    const e = await rejection(changePassword(t.db, u.id, { currentPassword: 'x', newPassword: 'new-password-1' }));
    expect([e.status, e.code]).toEqual([409, 'invalid_transition']);
    expect(await versionOf(u.id)).toBe(0);
  });

  it('a role change bumps the version of the changed user only', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const u = await makeUser(t.db);
    const userToken = await tokenFor(u.id, 0);
    const adminToken = await auth.encode({ token: { sub: admin.id, role: 'admin', sv: 0 }, secret: SECRET });
    await changeUserRole(
      t.db,
      { userId: admin.id, userEmail: admin.email, ip: null, userAgent: null },
      { userId: u.id, role: 'admin' },
    );
    expect(await versionOf(u.id)).toBe(1);
    expect((await readSession(userToken)).user).toBeUndefined();
    expect((await readSession(adminToken)).user).toMatchObject({ id: admin.id, role: 'admin' });
  });

  it('refuses the session of a deleted account', async () => {
    const u = await makeUser(t.db);
    const token = await tokenFor(u.id, 0);
    await t.db.delete(users).where(eq(users.id, u.id));
    expect(await readSession(token)).toEqual({ user: undefined, cleared: true });
  });
});
