// POST /api/auth/phone/code — send a 6-digit sign-in code by SMS (rate limited); public.
import { db } from '@/db';
import { requestPhoneCode } from '@/lib/accounts/phone';
import { apiRoute, clientIp, parseJson } from '@/lib/http';
import { configuredSmsSender } from '@/lib/sms/sender';
import { phoneCodeRequestSchema } from '@/lib/validation/accounts';

export const POST = apiRoute(async ({ req }) => {
  const body = await parseJson(req, phoneCodeRequestSchema, { maxBytes: 4 * 1024 });
  const { expiresAt } = await requestPhoneCode(
    db,
    { phoneNumber: body.phone_number, fullName: body.full_name, ip: clientIp(req) },
    { sender: configuredSmsSender() },
  );
  return Response.json({ expires_at: expiresAt.toISOString() });
});
