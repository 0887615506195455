import { env } from '@/env';

// One logger for the app, the worker and the scripts: JSON lines in production
// (one object per line, easy to ship), readable lines in development.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const order: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const colour: Record<LogLevel, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

export type Logger = {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
};

type ErrorLike = Error & {
  code?: unknown;
  severity?: unknown;
  constraint_name?: unknown;
  table_name?: unknown;
  column_name?: unknown;
  query?: unknown;
  params?: unknown;
  parameters?: unknown;
  status?: unknown;
  fields?: unknown;
  cause?: unknown;
};

/** Query parameters anywhere in an error's cause chain (Drizzle's `params`, postgres.js's `parameters`). */
function queryParameters(err: ErrorLike): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    const x = e as ErrorLike;
    for (const list of [x.params, x.parameters]) {
      if (!Array.isArray(list)) continue;
      for (const p of list) {
        if (p === null || p === undefined) continue;
        const text = typeof p === 'object' ? JSON.stringify(p) : String(p);
        // Very short values ("1", "ok") would blank out ordinary words of the message.
        if (text && text.length >= 3) out.push(text);
      }
    }
    e = x.cause;
  }
  return out.sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: string[]): string {
  // Drizzle's message is "Failed query: <sql>\nparams: <values>": the values never leave.
  let out = text.replace(/\nparams:[\s\S]*$/, '').replace(/^Failed query: [\s\S]*$/, 'Failed query');
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

/** The frames of a stack, without its first line(s): those repeat the message. */
function frames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return lines.length ? lines.join('\n') : undefined;
}

/**
 * An error as a log field. Database errors (a Drizzle "Failed query" wrapping a postgres.js
 * error) become {name, sqlstate, constraint, table, column, query, message}: the SQL text
 * with its $n placeholders, never the values bound to them, and never PostgreSQL's `detail`
 * or `where`, which quote row values. Any parameter value that a message echoes (e.g.
 * "invalid input syntax for type uuid: ...") is redacted too.
 */
export function serialiseError(err: Error): LogFields {
  const e = err as ErrorLike;
  const secrets = queryParameters(e);
  // Drizzle's wrapper carries the query and the driver error (with the SQLSTATE) as its
  // cause; a postgres.js error carries both itself. A wrapper of either is logged as usual,
  // with the database error as its cause.
  const query = typeof e.query === 'string' ? e.query : undefined;
  const cause = e.cause instanceof Error ? (e.cause as ErrorLike) : undefined;
  const driver =
    typeof e.code === 'string' ? e : query !== undefined && typeof cause?.code === 'string' ? cause : undefined;
  const isDatabase = query !== undefined || (driver !== undefined && typeof driver.severity === 'string');
  if (isDatabase) {
    const source = driver ?? e;
    const out: LogFields = {
      name: source.name,
      message: redact(source.message, secrets),
      ...(driver && typeof driver.severity === 'string'
        ? { sqlstate: driver.code }
        : driver
          ? { code: driver.code }
          : {}),
      ...(typeof driver?.constraint_name === 'string' ? { constraint: driver.constraint_name } : {}),
      ...(typeof driver?.table_name === 'string' ? { table: driver.table_name } : {}),
      ...(typeof driver?.column_name === 'string' ? { column: driver.column_name } : {}),
      ...(query !== undefined ? { query } : {}),
    };
    const stack = frames(e.stack);
    if (stack) out.stack = stack;
    return out;
  }
  const out: LogFields = { name: e.name, message: redact(e.message, secrets) };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof e.status === 'number') out.status = e.status;
  if (e.name === 'AppError' && e.fields && typeof e.fields === 'object') out.fields = e.fields;
  const stack = frames(e.stack);
  if (stack) out.stack = stack;
  if (e.cause !== undefined) out.cause = serialise(e.cause, 1);
  return out;
}

function serialise(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return serialiseError(value);
  // Errors nested in plain objects or arrays ({ errors: [...] }) go through the same path.
  if (depth < 4 && Array.isArray(value)) return value.map((v) => serialise(v, depth + 1));
  if (depth < 4 && value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialise(v, depth + 1)]));
  }
  return value;
}

/** Where formatted lines go: stdout/stderr unless a test captures them. */
export type LogSink = (level: LogLevel, line: string) => void;

export type LoggerOptions = { sink?: LogSink; level?: LogLevel | 'silent'; format?: 'json' | 'pretty' };

const standardSink: LogSink = (level, line) =>
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);

function write(
  options: LoggerOptions,
  level: LogLevel,
  { bindings, msg, fields }: { bindings: LogFields; msg: string; fields?: LogFields },
) {
  let settings: { level: LogLevel | 'silent'; format: 'json' | 'pretty' };
  try {
    const e = env();
    settings = { level: e.LOG_LEVEL, format: e.logFormat };
  } catch {
    settings = { level: 'info', format: 'json' };
  }
  if (options.level) settings.level = options.level;
  if (options.format) settings.format = options.format;
  if (order[level] < order[settings.level]) return;
  const sink = options.sink ?? standardSink;
  const all: LogFields = { ...bindings, ...fields };
  for (const k of Object.keys(all)) all[k] = serialise(all[k]);
  if (settings.format === 'json') {
    sink(level, `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...all })}\n`);
    return;
  }
  const { scope, ...rest } = all;
  const extra = Object.keys(rest).length
    ? ' ' +
      Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ')
    : '';
  const tag = scope ? `[${String(scope)}] ` : '';
  const time = new Date().toISOString().slice(11, 19);
  sink(level, `${time} ${colour[level]}${level.padEnd(5)}\x1b[0m ${tag}${msg}${extra}\n`);
}

export function createLogger(bindings: LogFields = {}, options: LoggerOptions = {}): Logger {
  return {
    debug: (msg, fields) => write(options, 'debug', { bindings, msg, fields }),
    info: (msg, fields) => write(options, 'info', { bindings, msg, fields }),
    warn: (msg, fields) => write(options, 'warn', { bindings, msg, fields }),
    error: (msg, fields) => write(options, 'error', { bindings, msg, fields }),
    child: (more) => createLogger({ ...bindings, ...more }, options),
  };
}

export const logger = createLogger();

type ConsoleLike = { error: (...args: unknown[]) => void; warn: (...args: unknown[]) => void };

/**
 * Next.js prints errors thrown while rendering a page or running an action with console.error
 * itself, and Drizzle's error message carries the query's bound values ("params: ..."). The
 * web server routes every Error printed that way through serialiseError, so those values never
 * reach the log either.
 */
export function redactConsoleErrors(target: ConsoleLike = console): void {
  for (const method of ['error', 'warn'] as const) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]) =>
      original(...args.map((a) => (a instanceof Error ? JSON.stringify(serialise(a)) : a)));
  }
}
