import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '@/env';
import { db } from '@/db';
import { findSessionUser, findUserCredentialsByEmail } from '@/db/queries/users';
import { isDatabaseUnavailable } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { localeFromHeaders } from '@/i18n/config';
import { adoptBrowserLocale } from '@/lib/accounts/locale';
import { verifyPhoneCode } from '@/lib/accounts/phone';
import { signInSchema } from '@/lib/validation/auth';
import { phoneSignInSchema } from '@/lib/validation/accounts';
import { safeRedirectUrl } from './callback-url';
import { verifyPassword } from './password';

const log = logger.child({ scope: 'auth' });

/** Thrown by the jwt callback for a revoked or orphaned session; next-auth then clears the cookie. */
export class SessionRevokedError extends Error {
  constructor(reason: string) {
    super(`Session refused: ${reason}`);
    this.name = 'SessionRevokedError';
  }
}

/**
 * The sign-in request's language (the switch's cookie, else Accept-Language): an account that
 * has none yet takes it, for the notifications it is sent.
 */
function requestLocale(req: { headers?: Record<string, unknown> } | undefined) {
  const header = (name: string) => {
    const v = req?.headers?.[name];
    return typeof v === 'string' ? v : undefined;
  };
  return localeFromHeaders(header('cookie'), header('accept-language'));
}

/** next-auth options; built on first use so `next build` needs no secret. */
export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        id: 'password',
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const user = await findUserCredentialsByEmail(db, { email: parsed.data.email });
          // Always run bcrypt, so the answer time does not tell whether the account exists.
          const ok = await verifyPassword(parsed.data.password, user?.passHash);
          if (!user || !ok) {
            log.info('Failed password sign-in');
            return null;
          }
          await adoptBrowserLocale(db, user.id, requestLocale(req));
          return {
            id: user.id,
            name: user.fullName,
            email: user.email,
            phoneNumber: user.phoneNumber,
            role: user.role,
            sessionVersion: user.sessionVersion,
          };
        },
      }),
      CredentialsProvider({
        id: 'phone',
        name: 'Phone and SMS code',
        credentials: {
          phone_number: { label: 'Phone number', type: 'tel' },
          code: { label: 'Code', type: 'text' },
        },
        async authorize(credentials, req) {
          const parsed = phoneSignInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const result = await verifyPhoneCode(db, { phoneNumber: parsed.data.phone_number, code: parsed.data.code });
          if (!result.ok) {
            log.info('Failed phone sign-in', { reason: result.reason });
            return null;
          }
          const u = result.user;
          await adoptBrowserLocale(db, u.id, requestLocale(req));
          return {
            id: u.id,
            name: u.fullName,
            email: u.email,
            phoneNumber: u.phoneNumber,
            role: u.role,
            sessionVersion: u.sessionVersion,
          };
        },
      }),
    ],
    logger: {
      error(code, metadata) {
        // A revoked session is an expected outcome, not a server error.
        const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        if (err instanceof SessionRevokedError) log.info(err.message);
        else log.error(`next-auth: ${code}`, { err: metadata });
      },
      warn(code) {
        log.warn(`next-auth: ${code}`);
      },
      debug() {},
    },
    callbacks: {
      /**
       * Runs on sign-in (with `user`) and on every session read (getServerSession, /api/auth/session).
       * Each read re-loads the user in one primary-key query: a deleted account, or a session
       * issued before the last session_version bump (sign out everywhere, password or role
       * change), is refused; otherwise name, email and role come fresh from the database.
       */
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = user.role;
          token.phoneNumber = user.phoneNumber;
          token.sv = user.sessionVersion;
          return token;
        }
        delete token.unverified;
        if (!token.sub) throw new SessionRevokedError('no subject');
        let current;
        try {
          current = await findSessionUser(db, { id: token.sub });
        } catch (err) {
          // next-auth treats any error here as a bad session and clears the cookie: a database
          // outage would sign everyone out. The token is kept, marked unverified, and
          // getCurrentUser answers 503 for it instead.
          if (!isDatabaseUnavailable(err)) throw err;
          token.unverified = true;
          return token;
        }
        if (!current) throw new SessionRevokedError('the account no longer exists');
        // Tokens from before session versions existed carry none: they count as version 0.
        if (current.sessionVersion !== (token.sv ?? 0))
          throw new SessionRevokedError('revoked by a newer session version');
        token.name = current.fullName;
        token.email = current.email;
        token.phoneNumber = current.phoneNumber;
        token.role = current.role;
        return token;
      },
      session({ session, token }) {
        if (token.unverified) session.unverified = true;
        if (token.sub) {
          session.user = {
            id: token.sub,
            name: token.name ?? '',
            email: token.email ?? null,
            phoneNumber: token.phoneNumber ?? null,
            role: token.role ?? 'client',
          };
        }
        return session;
      },
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, baseUrl);
      },
    },
  };
}
