// /api/auth/* — next-auth endpoints (csrf, session, callback/password, signout); public.
import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { nextAuthInputProblem } from '@/lib/auth/next-auth-input';
import { AppError, errorResponse } from '@/lib/errors';

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx) {
  const problem = await nextAuthInputProblem(req);
  if (problem) return errorResponse(new AppError('validation_failed', 400, problem));
  return NextAuth(authOptions())(req, ctx);
}

export { handler as GET, handler as POST };
