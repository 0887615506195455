import { AppError, type ErrorCode } from '@/lib/errors';

/**
 * An expected refusal of an admin change. The message stays English for the JSON API and the
 * logs; `key` and `values` name the same text in the message catalogs, so the portal's server
 * actions can say it in the operator's language (lib/admin/action.ts).
 */
export class AdminRefusal extends AppError {
  readonly key: string;
  readonly values: Record<string, string | number>;
  /** Catalog keys of the field messages, translated like the message. */
  readonly fieldKeys: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    {
      key,
      values = {},
      fields,
      fieldKeys = {},
    }: {
      key: string;
      values?: Record<string, string | number>;
      fields?: Record<string, string>;
      fieldKeys?: Record<string, string>;
    },
  ) {
    super(code, message, { fields });
    this.name = 'AdminRefusal';
    this.key = key;
    this.values = values;
    this.fieldKeys = fieldKeys;
  }
}

/** A 409 for a change the object's state does not allow now. */
export const adminInvalidTransition = (message: string, key: string, values?: Record<string, string | number>) =>
  new AdminRefusal('invalid_transition', message, { key, values });

/** A 404 whose message is the catalog's `key`. */
export const adminNotFound = (what: string, key: string) => new AdminRefusal('not_found', `${what} not found`, { key });
