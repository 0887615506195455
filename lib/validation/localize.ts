import type { z } from 'zod';
import type { ErrorCode, FieldErrors } from '@/lib/errors';

// Validation and action messages in the reader's language.
//
// Schemas keep their English messages: they are the HTTP contract's error bodies, which never
// change with the language. A form shows something else: each zod issue has a stable identity
// (its field path and zod's issue code, with zod's own parameters such as `minimum`), and that
// identity names a message of the catalog (messages/<locale>/validation.json):
//   <namespace>.fields.<path>.<code>   a field's message for one kind of issue
//   <namespace>.fields.<path>.invalid  a field's message for any issue
//   validation.issues.<code>           the generic message for that kind of issue
// A refinement names its message itself:
// `.refine(fn, { message: 'English', params: { i18n: 'validation.custom.x' } })`.
// Errors thrown by the domain (AppError) are named by their code: validation.errors.<code>,
// unless the action names a more precise message for that code.
// Works on the server (getTranslations()) and in the browser (useTranslations()).

/** A translator over the whole catalog: next-intl's getTranslations() or useTranslations() without a namespace. */
export type CatalogTranslator = {
  (key: string, values?: Record<string, string | number | Date>): string;
  has(key: string): boolean;
};

export type LocalizeOptions = {
  /** Namespaces whose `fields.<path>.<code>` messages win over validation's (an admin area's own catalog). */
  namespaces?: string[];
  /** A message key per error code, for what that code means in this action ("too late to cancel"). */
  errors?: Partial<Record<ErrorCode, string>>;
};

type Issue = z.core.$ZodIssue;

function asNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** The arguments every issue message may use; always all of them, so no message lacks one. */
function issueValues(issue: Issue): Record<string, string | number> {
  const i = issue as Issue & {
    minimum?: unknown;
    maximum?: unknown;
    origin?: unknown;
    format?: unknown;
    expected?: unknown;
  };
  return {
    minimum: asNumber(i.minimum),
    maximum: asNumber(i.maximum),
    origin: typeof i.origin === 'string' ? i.origin : 'other',
    format: typeof i.format === 'string' ? i.format : 'other',
    expected: typeof i.expected === 'string' ? i.expected : 'other',
  };
}

/** One issue's message in the translator's language. */
export function localizeIssue(issue: Issue, t: CatalogTranslator, opts: LocalizeOptions = {}): string {
  const values = issueValues(issue);
  const named = issue.code === 'custom' ? issue.params?.i18n : undefined;
  if (typeof named === 'string' && t.has(named)) return t(named, values);
  const field = issue.path.map(String).join('.');
  if (field) {
    for (const ns of [...(opts.namespaces ?? []), 'validation']) {
      for (const key of [`${ns}.fields.${field}.${issue.code}`, `${ns}.fields.${field}.invalid`]) {
        if (t.has(key)) return t(key, values);
      }
    }
  }
  const generic = `validation.issues.${issue.code}`;
  return t.has(generic) ? t(generic, values) : t('validation.issues.default');
}

/** The first localized message per field (dotted path; "_" for the whole input), as forms show them. */
export function localizeFieldErrors(error: z.ZodError, t: CatalogTranslator, opts: LocalizeOptions = {}): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    fields[key] ??= localizeIssue(issue, t, opts);
  }
  return fields;
}

type ErrorLike = { code: ErrorCode; message: string; fields?: FieldErrors; headers?: Record<string, string> };

/**
 * An AppError's message and field messages in the translator's language. A rate limit says
 * how long to wait (its Retry-After); a field the domain flagged gets
 * `validation.fields.<field>.<code>` when there is one, else the error's message.
 */
export function localizeAppError(
  e: ErrorLike,
  t: CatalogTranslator,
  opts: LocalizeOptions = {},
): { message: string; fields: FieldErrors } {
  const retry = Number(e.headers?.['Retry-After']);
  const values = { seconds: Number.isFinite(retry) && retry > 0 ? Math.ceil(retry) : 0 };
  const override = opts.errors?.[e.code];
  const key = override && t.has(override) ? override : `validation.errors.${e.code}`;
  // A code the catalog leaves out keeps the contract's words: "unauthorized" ("Sign in to
  // continue."), which every client reads the same way and the page answers with a sign-in.
  const message = t.has(key) ? t(key, values) : e.message;
  const fields: FieldErrors = {};
  for (const field of Object.keys(e.fields ?? {})) {
    const fieldKey = `validation.fields.${field}.${e.code}`;
    fields[field] = t.has(fieldKey) ? t(fieldKey, values) : message;
  }
  return { message, fields };
}
