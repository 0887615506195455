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
