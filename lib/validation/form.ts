import type { z } from 'zod';

/** First message per top-level field, for inline form errors. */
export function fieldErrorsFromZod<K extends string>(error: z.ZodError): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_') as K;
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * A list page's filters from its search params: the parsed values, or, when any is invalid,
 * the schema's defaults (every filter optional) and `valid: false` so the page can say so.
 */
export function readFilters<S extends z.ZodType>(schema: S, raw: unknown): { filters: z.infer<S>; valid: boolean } {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { filters: parsed.data, valid: true } : { filters: schema.parse({}), valid: false };
}
