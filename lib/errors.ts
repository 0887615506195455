import { logger } from './logger';

// One error shape for every JSON endpoint (docs/openapi.yaml):
//   {"error": {"code": "validation_failed", "message": "human text", "fields": {...}}}

export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_transition'
  | 'out_of_stock'
  | 'no_capacity'
  | 'too_many_orders'
  | 'qr_expired'
  | 'invalid_qr'
  | 'invalid_pin'
  | 'nothing_to_collect'
  | 'email_taken'
  | 'rate_limited'
  | 'payload_too_large'
  | 'conflict'
  | 'service_unavailable'
  | 'internal_error';

/**
 * The HTTP status each error code answers with, as the contract gives it: one home, so a code
 * never answers with two statuses and a call site never names the status beside the code.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  out_of_stock: 409,
  no_capacity: 409,
  too_many_orders: 409,
  qr_expired: 410,
  invalid_qr: 403,
  invalid_pin: 403,
  nothing_to_collect: 404,
  email_taken: 409,
  rate_limited: 429,
  payload_too_large: 413,
  conflict: 409,
  service_unavailable: 503,
  internal_error: 500,
} as const satisfies Record<ErrorCode, number>;

export type FieldErrors = Record<string, string>;

export type ErrorBody = { error: { code: ErrorCode; message: string; fields?: FieldErrors } };

/** What an error adds to its body and its answer: messages per field, and response headers (Retry-After...). */
export type AppErrorExtras = { fields?: FieldErrors; headers?: Record<string, string> };

export class AppError extends Error {
  /** The HTTP status, from the code (ERROR_STATUS). */
  readonly status: number;
  readonly fields?: FieldErrors;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    { fields, headers }: AppErrorExtras = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.fields = fields;
    this.headers = headers;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
/** The database cannot be reached right now: the client should retry, nothing is wrong with the request. */
export const serviceUnavailable = () =>
  new AppError('service_unavailable', 'The service is temporarily unavailable. Please retry shortly.', {
    headers: {
      'Retry-After': '5',
    },
  });
export const invalidTransition = (message: string) => new AppError('invalid_transition', message);

// postgres.js connection failures and PostgreSQL "server is unavailable" states.
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

type PgLikeError = { code?: unknown; severity?: unknown; constraint_name?: unknown; cause?: unknown };

function pgError(err: unknown): PgLikeError | undefined {
  // Drizzle wraps driver errors ("Failed query: ...") and keeps the driver error as `cause`.
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const c = (e as PgLikeError).code;
    if (typeof c === 'string') return e as PgLikeError;
    e = (e as PgLikeError).cause;
  }
  return undefined;
}

/** True when the database cannot be reached right now (a 503, not the client's fault). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgError(err)?.code;
  if (typeof code !== 'string') return false;
  return (
    UNAVAILABLE_NODE_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)
  );
}

/** The PostgreSQL SQLSTATE of an error (or of the driver error it wraps), if any. */
export function sqlState(err: unknown): string | undefined {
  const e = pgError(err);
  return e && typeof e.severity === 'string' && typeof e.code === 'string' ? e.code : undefined;
}

export function constraintName(err: unknown): string | undefined {
  const c = pgError(err)?.constraint_name;
  return typeof c === 'string' ? c : undefined;
}

/** Maps any thrown value to the contract's error, logging what the client must not see. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) {
    logger.error('Database unavailable', { err });
    return serviceUnavailable();
  }
  // Safety nets: a constraint the database enforced is a conflict or bad input, never a 500.
  const state = sqlState(err);
  if (state === '23505') {
    return new AppError('conflict', 'This conflicts with existing data.');
  }
  // 22021/22P05: a NUL byte or a character the database encoding cannot hold.
  if (
    state === '23514' ||
    state === '23502' ||
    state === '22P02' ||
    state === '22003' ||
    state === '22007' ||
    state === '22008' ||
    state === '22021' ||
    state === '22P05'
  ) {
    logger.warn('Input rejected by a database constraint', { err });
    return new AppError('validation_failed', 'The request contains an invalid value.');
  }
  if (state === '23503') {
    return new AppError('not_found', 'A referenced resource does not exist.');
  }
  if (state === '40001' || state === '40P01') {
    return new AppError('service_unavailable', 'The server was busy with a conflicting change. Please retry.', {
      headers: { 'Retry-After': '1' },
    });
  }
  logger.error('Unhandled error', { err });
  return new AppError(
    'internal_error',
    'Something went wrong on our side. Please try again; if it keeps happening, contact support.',
  );
}

export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  return Response.json(e.toBody(), { status: e.status, headers: e.headers });
}
