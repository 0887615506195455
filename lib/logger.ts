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

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const cause = (value as Error & { cause?: unknown }).cause;
    return { name: value.name, message: value.message, stack: value.stack, ...(cause ? { cause: serialise(cause) } : {}) };
  }
  return value;
}

function write(level: LogLevel, bindings: LogFields, msg: string, fields?: LogFields) {
  let settings: { level: LogLevel | 'silent'; format: 'json' | 'pretty' };
  try {
    const e = env();
    settings = { level: e.LOG_LEVEL, format: e.logFormat };
  } catch {
    settings = { level: 'info', format: 'json' };
  }
  if (order[level] < order[settings.level]) return;
  const all: LogFields = { ...bindings, ...fields };
  for (const k of Object.keys(all)) all[k] = serialise(all[k]);
  const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
  if (settings.format === 'json') {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...all })}\n`);
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
  stream.write(`${time} ${colour[level]}${level.padEnd(5)}\x1b[0m ${tag}${msg}${extra}\n`);
}

export function createLogger(bindings: LogFields = {}): Logger {
  return {
    debug: (msg, fields) => write('debug', bindings, msg, fields),
    info: (msg, fields) => write('info', bindings, msg, fields),
    warn: (msg, fields) => write('warn', bindings, msg, fields),
    error: (msg, fields) => write('error', bindings, msg, fields),
    child: (more) => createLogger({ ...bindings, ...more }),
  };
}

export const logger = createLogger();
