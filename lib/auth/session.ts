import 'server-only';
import { getServerSession } from 'next-auth';
import { forbidden, notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import type { PublicUser } from '@/db/queries/users';
import { AppError, serviceUnavailable } from '@/lib/errors';
import { uuidSchema } from '@/lib/http';
import { authOptions } from './options';

export type SessionUser = PublicUser;

/**
 * The signed-in user, re-read from the database on every call (in the jwt callback, which
 * also refuses revoked sessions): a deleted account, a changed role or "sign out everywhere"
 * takes effect at once, not when the session cookie expires. Cached per request.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  if (session?.unverified) throw serviceUnavailable();
  const u = session?.user;
  if (!u?.id) return null;
  return { id: u.id, fullName: u.name, email: u.email, phoneNumber: u.phoneNumber, role: u.role };
});

/** For route handlers and server actions: 401 when signed out. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized', 'Sign in to continue.');
  return user;
}

/** For route handlers and server actions: 401 when signed out, 403 for non-admins. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== 'admin') throw new AppError('forbidden', 'This needs an administrator account.');
  return user;
}

function signInUrl(callbackPath: string) {
  return `/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/** For pages: signed-out visitors go to sign-in and come back afterwards. */
export async function requireUserPage(callbackPath: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(signInUrl(callbackPath));
  return user;
}

/** For admin pages: sign-in when signed out, the 403 page for customers. */
export async function requireAdminPage(callbackPath: string): Promise<SessionUser> {
  const user = await requireUserPage(callbackPath);
  if (user.role !== 'admin') forbidden();
  return user;
}

/**
 * For an admin page about one object (`/admin/drones/{id}`): the admin check first, then 404 for an id that is not a
 * UUID.
 */
export async function requireAdminObjectPage(base: string, id: string): Promise<SessionUser> {
  const admin = await requireAdminPage(`${base}/${id}`);
  if (!uuidSchema.safeParse(id).success) notFound();
  return admin;
}
