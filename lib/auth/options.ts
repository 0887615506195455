import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '@/env';
import { db } from '@/db';
import { findUserCredentialsByEmail } from '@/db/queries/users';
import { logger } from '@/lib/logger';
import { verifyPhoneCode } from '@/lib/accounts/phone';
import { signInSchema } from '@/lib/validation/auth';
import { phoneSignInSchema } from '@/lib/validation/accounts';
import { verifyPassword } from './password';

const log = logger.child({ scope: 'auth' });

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
        async authorize(credentials) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const user = await findUserCredentialsByEmail(db, { email: parsed.data.email });
          // Always run bcrypt, so the answer time does not tell whether the account exists.
          const ok = await verifyPassword(parsed.data.password, user?.passHash);
          if (!user || !ok) {
            log.info('Failed password sign-in');
            return null;
          }
          return { id: user.id, name: user.fullName, email: user.email, role: user.role };
        },
      }),
      CredentialsProvider({
        id: 'phone',
        name: 'Phone and SMS code',
        credentials: {
          phone_number: { label: 'Phone number', type: 'tel' },
          code: { label: 'Code', type: 'text' },
        },
        async authorize(credentials) {
          const parsed = phoneSignInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const result = await verifyPhoneCode(db, { phoneNumber: parsed.data.phone_number, code: parsed.data.code });
          if (!result.ok) {
            log.info('Failed phone sign-in', { reason: result.reason });
            return null;
          }
          const u = result.user;
          return { id: u.id, name: u.fullName, email: u.email, role: u.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = user.role;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) {
          session.user = {
            id: token.sub,
            name: token.name ?? '',
            email: token.email ?? null,
            role: token.role ?? 'client',
          };
        }
        return session;
      },
    },
  };
}
