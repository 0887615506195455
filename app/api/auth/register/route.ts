// POST /api/auth/register — create a customer account (email + password); public, rate limited per client address.
import { db } from '@/db';
import { localeFromHeaders } from '@/i18n/config';
import { registerCustomer } from '@/lib/accounts/register';
import { apiRoute, clientIp, parseJson } from '@/lib/http';
import { registerSchema } from '@/lib/validation/accounts';

export const POST = apiRoute(async ({ req }) => {
  const body = await parseJson(req, registerSchema, { maxBytes: 8 * 1024 });
  const locale = localeFromHeaders(req.headers.get('cookie'), req.headers.get('accept-language'));
  const user = await registerCustomer(
    db,
    { fullName: body.full_name, email: body.email, password: body.password, locale },
    { ip: clientIp(req) },
  );
  return Response.json(
    { user: { id: user.id, full_name: user.fullName, email: user.email, role: user.role } },
    { status: 201 },
  );
});
