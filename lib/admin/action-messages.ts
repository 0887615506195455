import 'server-only';
import { getTranslations } from 'next-intl/server';
import type { ActionResult } from '@/lib/actions';
import { AppError, toAppError, type FieldErrors } from '@/lib/errors';

// The fleet's server actions answer in the operator's language. The shared runner
// (lib/actions.ts) validates, authenticates and turns errors into results; the domain and the
// zod schemas speak English, for the API and the logs. So the actions run it through `domain`,
// which notes whether the input got as far as the domain and which AppError it threw, and the
// failure is then worded from the messages (adminFleet.actionErrors), by stage, code and field.

export type DomainFailure = { error: AppError };

/** How one action words its domain failures; anything it leaves out gets the generic text of the error's code. */
export type ActionT = (key: string, values?: Record<string, string | number>) => string;
type Worded = { error: string; fieldErrors?: FieldErrors } | null;
export type Wording = (f: DomainFailure, t: ActionT) => Worded | Promise<Worded>;

/**
 * Runs an action through `run`, which authenticates with the `authenticate` it is handed and
 * does its domain work inside `domain(...)`, and words a failure in the request's language:
 * a refused caller by the refusal's code, invalid fields one message per field, and a domain
 * error as `word` says (else by its code).
 */
export async function localizedAction<T, U>(
  authenticate: () => Promise<U>,
  run: (authenticate: () => Promise<U>, domain: <R>(fn: () => Promise<R>) => Promise<R>) => Promise<ActionResult<T>>,
  word?: Wording,
): Promise<ActionResult<T>> {
  const seen: { reached: boolean; thrown: AppError | null; refused: AppError | null } = {
    reached: false,
    thrown: null,
    refused: null,
  };
  const guarded = async () => {
    try {
      return await authenticate();
    } catch (err) {
      seen.refused = toAppError(err);
      throw seen.refused;
    }
  };
  const result = await run(guarded, async (fn) => {
    seen.reached = true;
    try {
      return await fn();
    } catch (err) {
      // Converted (and logged) once here; the runner passes an AppError through as it is.
      seen.thrown = toAppError(err);
      throw seen.thrown;
    }
  });
  if (result.ok) return result;
  const t = await getTranslations('adminFleet.actionErrors');
  const generic = (code: string) => (t.has(`codes.${code}`) ? t(`codes.${code}`) : t('codes.internal_error'));
  // Refused before the input was read: signed out, or not an administrator.
  if (seen.refused) return { ok: false, error: generic(seen.refused.code), fieldErrors: {} };
  if (!seen.reached) {
    const fields = Object.keys(result.fieldErrors);
    const fieldErrors: FieldErrors = {};
    for (const f of fields) fieldErrors[f] = t.has(`fields.${f}`) ? t(`fields.${f}`) : t('fields.other');
    return { ok: false, error: t('invalid'), fieldErrors };
  }
  const e: AppError = seen.thrown ?? new AppError('internal_error', result.error);
  const worded = await word?.({ error: e }, (key, values) => t(key, values));
  if (worded) return { ok: false, error: worded.error, fieldErrors: worded.fieldErrors ?? {} };
  return { ok: false, error: generic(e.code), fieldErrors: {} };
}
