import 'server-only';
import { getTranslations } from 'next-intl/server';
import type { z } from 'zod';
import { formToObject, type ActionResult } from '@/lib/actions';
import { requireAdmin, type SessionUser } from '@/lib/auth/session';
import { toAppError, type AppError, type ErrorCode } from '@/lib/errors';
import { AdminRefusal } from './refusal';

// The operator portal's server actions, answered in the operator's language. The same order
// as lib/actions.ts (authenticate before reading the input, then validate, then act), but the
// texts come from the message catalogs: the zod schemas and the domain keep English messages
// for the JSON API.

type Translator = Awaited<ReturnType<typeof getTranslations>>;

/** Messages for error codes a domain module outside lib/admin raises, per action. */
export type CodeMessages = Partial<Record<ErrorCode, string>>;

const GENERIC: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'adminCommon.errors.unauthorized',
  forbidden: 'adminCommon.errors.forbidden',
  not_found: 'adminCommon.errors.notFound',
  service_unavailable: 'adminCommon.errors.unavailable',
  conflict: 'adminCommon.errors.conflict',
  validation_failed: 'adminCommon.errors.fix',
};

function translateError(t: Translator, e: AppError, codes: CodeMessages): ActionResult<never> {
  if (e instanceof AdminRefusal) {
    const fieldErrors: Record<string, string> = {};
    for (const [field, key] of Object.entries(e.fieldKeys)) fieldErrors[field] = t(key, e.values);
    return { ok: false, error: t(e.key, e.values), fieldErrors };
  }
  const key = codes[e.code] ?? GENERIC[e.code] ?? 'adminCommon.errors.internal';
  return { ok: false, error: t(key), fieldErrors: {} };
}

/**
 * One message per field of the admin forms ("Enter a name of 2 to 255 characters."); ids of hidden fields say the form
 * is stale.
 */
function fieldErrors(t: Translator, error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_');
    if (out[field]) continue;
    out[field] = t.has(`adminCommon.fields.${field}`)
      ? t(`adminCommon.fields.${field}`)
      : t('adminCommon.fields.stale');
  }
  return out;
}

/**
 * Runs an admin server action: requireAdmin() first, then the schema, then `fn`. Failures
 * come back as `{ ok: false }` with texts in the request's language: an AdminRefusal by its
 * catalog key, other errors by their code (`codes` first, then the generic ones).
 */
export async function runAdminAction<S extends z.ZodType, T>(
  {
    schema,
    input,
    codes = {},
  }: { schema: S; input: FormData | Record<string, unknown> | undefined; codes?: CodeMessages },
  fn: (data: z.infer<S>, admin: SessionUser, t: Translator) => Promise<T>,
): Promise<ActionResult<T>> {
  const t = await getTranslations();
  let admin: SessionUser;
  try {
    admin = await requireAdmin();
  } catch (err) {
    return translateError(t, toAppError(err), {});
  }
  const parsed = schema.safeParse(formToObject(input ?? {}));
  if (!parsed.success) {
    const fields = fieldErrors(t, parsed.error);
    // Only hidden fields failed (a stale or tampered form): say so, not "correct the fields".
    const visible = Object.values(fields).some((m) => m !== t('adminCommon.fields.stale'));
    return {
      ok: false,
      error: visible ? t('adminCommon.errors.fix') : t('adminCommon.fields.stale'),
      fieldErrors: fields,
    };
  }
  try {
    return { ok: true, data: await fn(parsed.data, admin, t) };
  } catch (err) {
    return translateError(t, toAppError(err), codes);
  }
}
