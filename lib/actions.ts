import type { z } from 'zod';
import { AppError, toAppError, type ErrorCode, type FieldErrors } from './errors';
import { fieldErrors } from './http';

// Server actions answer expected failures as data, so forms can show inline errors:
//   { ok: true, data } | { ok: false, error, fieldErrors }

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors: FieldErrors };

export type ActionState<T> = ActionResult<T> | null;

/** Reads FormData (or a plain object) through a zod schema. */
export function formToObject(input: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of input.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Validates with `schema`, runs `fn`, and turns AppErrors (and unexpected ones) into a
 * failed result. `fn` must authenticate itself (requireUser/requireAdmin) first.
 */
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: FormData | Record<string, unknown>,
  fn: (data: z.infer<S>) => Promise<T>,
  /** Shows these error codes inline at a form field (e.g. email_taken at "email"). */
  fieldFor: Partial<Record<ErrorCode, string>> = {},
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(formToObject(input));
  if (!parsed.success) return { ok: false, error: 'Please correct the highlighted fields.', fieldErrors: fieldErrors(parsed.error) };
  try {
    return { ok: true, data: await fn(parsed.data) };
  } catch (err) {
    const e = err instanceof AppError ? err : toAppError(err);
    const field = fieldFor[e.code];
    return { ok: false, error: e.message, fieldErrors: { ...e.fields, ...(field ? { [field]: e.message } : {}) } };
  }
}

/**
 * For actions behind a role: `authenticate` runs first (before the input is even read),
 * so a caller without the role learns nothing about the input rules.
 */
export async function runAuthorizedAction<S extends z.ZodType, U, T>(
  authenticate: () => Promise<U>,
  schema: S,
  input: FormData | Record<string, unknown> | undefined,
  fn: (data: z.infer<S>, user: U) => Promise<T>,
): Promise<ActionResult<T>> {
  let user: U;
  try {
    user = await authenticate();
  } catch (err) {
    const e = err instanceof AppError ? err : toAppError(err);
    return { ok: false, error: e.message, fieldErrors: {} };
  }
  return runAction(schema, input ?? {}, (data) => fn(data, user));
}
