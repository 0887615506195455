import type { z } from 'zod';
import { AppError, toAppError, type ErrorCode, type FieldErrors } from './errors';
import { fieldErrors } from './http';
import {
  localizeAppError,
  localizeFieldErrors,
  type CatalogTranslator,
  type LocalizeOptions,
} from './validation/localize';

// Server actions answer expected failures as data, so forms can show inline errors:
//   { ok: true, data } | { ok: false, error, fieldErrors }

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors: FieldErrors };

export type ActionState<T> = ActionResult<T> | null;

export type ActionOptions = {
  /** Shows these error codes inline at a form field (e.g. email_taken at "email"). */
  fieldFor?: Partial<Record<ErrorCode, string>>;
  /**
   * Answers in the request's language (lib/validation/localize.ts): field errors and the
   * form's message come from the catalog instead of the schemas' and AppErrors' English.
   * `true` for the defaults, or namespaces and per-code messages of this action.
   */
  localize?: true | LocalizeOptions;
};

/** Reads FormData (or a plain object) through a zod schema. */
export function formToObject(input: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of input.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The request's catalog (its locale comes from i18n/request.ts); loaded only by actions that localize. */
async function requestTranslator(): Promise<CatalogTranslator> {
  const { getTranslations } = await import('next-intl/server');
  return getTranslations();
}

function failure(
  e: AppError,
  fieldFor: ActionOptions['fieldFor'],
  localized?: { message: string; fields: FieldErrors },
): { ok: false; error: string; fieldErrors: FieldErrors } {
  const message = localized?.message ?? e.message;
  const field = fieldFor?.[e.code];
  return {
    ok: false,
    error: message,
    fieldErrors: { ...(localized?.fields ?? e.fields), ...(field ? { [field]: message } : {}) },
  };
}

/**
 * Validates with `schema`, runs `fn`, and turns AppErrors (and unexpected ones) into a
 * failed result. `fn` must authenticate itself (requireUser/requireAdmin) first.
 */
export async function runAction<S extends z.ZodType, T>(
  { schema, input, options = {} }: { schema: S; input: FormData | Record<string, unknown>; options?: ActionOptions },
  fn: (data: z.infer<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  const localize = options.localize === true ? {} : options.localize;
  const parsed = schema.safeParse(formToObject(input));
  if (!parsed.success) {
    if (!localize)
      return { ok: false, error: 'Please correct the highlighted fields.', fieldErrors: fieldErrors(parsed.error) };
    const t = await requestTranslator();
    return {
      ok: false,
      error: t('validation.form.correctFields'),
      fieldErrors: localizeFieldErrors(parsed.error, t, localize),
    };
  }
  try {
    return { ok: true, data: await fn(parsed.data) };
  } catch (err) {
    const e = err instanceof AppError ? err : toAppError(err);
    return failure(
      e,
      options.fieldFor,
      localize ? localizeAppError(e, await requestTranslator(), localize) : undefined,
    );
  }
}

/**
 * For actions behind a role: `authenticate` runs first (before the input is even read),
 * so a caller without the role learns nothing about the input rules.
 */
export async function runAuthorizedAction<S extends z.ZodType, U, T>(
  {
    authenticate,
    schema,
    input,
    options = {},
  }: {
    authenticate: () => Promise<U>;
    schema: S;
    input: FormData | Record<string, unknown> | undefined;
    options?: ActionOptions;
  },
  fn: (data: z.infer<S>, user: U) => Promise<T>,
): Promise<ActionResult<T>> {
  let user: U;
  try {
    user = await authenticate();
  } catch (err) {
    const e = err instanceof AppError ? err : toAppError(err);
    const localize = options.localize === true ? {} : options.localize;
    return {
      ...failure(e, undefined, localize ? localizeAppError(e, await requestTranslator(), localize) : undefined),
      fieldErrors: {},
    };
  }
  return runAction({ schema, input: input ?? {}, options }, (data) => fn(data, user));
}
