// /api/auth/* — next-auth endpoints (csrf, session, callback/password, callback/phone, signout); public.
// Sign-in callbacks are rate limited on failures per account and per client address (429 + Retry-After).
import NextAuth from 'next-auth';
import { db } from '@/db';
import { authOptions } from '@/lib/auth/options';
import { nextAuthInputProblem } from '@/lib/auth/next-auth-input';
import { signInAccountKey, throttleSignIn } from '@/lib/auth/sign-in-limits';
import { AppError, errorResponse } from '@/lib/errors';
import { clientIp } from '@/lib/http';

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx) {
  const problem = await nextAuthInputProblem(req);
  if (problem) return errorResponse(new AppError('validation_failed', problem));
  return NextAuth(authOptions())(req, ctx);
}

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?=[^;]/;

/** A credentials answer (302 Location, or {url} for json requests) that reports wrong credentials. */
async function isCredentialsFailure(res: Response): Promise<boolean> {
  if (res.headers.getSetCookie().some((c) => SESSION_COOKIE.test(c))) return false;
  let target = res.headers.get('location') ?? '';
  if (!target && (res.headers.get('content-type') ?? '').includes('json')) {
    const body = (await res
      .clone()
      .json()
      .catch(() => null)) as { url?: unknown } | null;
    target = typeof body?.url === 'string' ? body.url : '';
  }
  return target.includes('error=CredentialsSignin');
}

async function POST(req: Request, ctx: Ctx) {
  const [action, provider] = (await ctx.params).nextauth ?? [];
  if (action !== 'callback' || (provider !== 'password' && provider !== 'phone')) return handler(req, ctx);
  try {
    const form = await req
      .clone()
      .formData()
      .catch(() => null);
    return await throttleSignIn(
      db,
      { account: signInAccountKey(provider, form), ip: clientIp(req) },
      {
        attempt: async () => {
          const res = await handler(req, ctx);
          return { result: res, failed: await isCredentialsFailure(res) };
        },
      },
    );
  } catch (err) {
    return errorResponse(err);
  }
}

export { handler as GET, POST };
