import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The only reader of process.env. Everything else imports `env` (or calls loadEnv in tests).

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v));

const port = z.coerce.number().int().min(1).max(65535);

/** An IANA time zone name ("Europe/Moscow") that this runtime's Intl knows. */
export function isTimeZone(value: string): boolean {
  // Offsets ("+03:00") are accepted by Intl too, but they ignore daylight saving: names only.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The demo's credentials: committed in the repository, so anyone can use them. Production
 * never seeds them, and the launcher refuses a non-loopback bind while they are in use.
 */
export const DEMO_CREDENTIALS = {
  adminPassword: 'admin-skypost-1',
  customerPassword: 'customer-skypost-1',
  deviceKeySeed: 'skypost-dev-seed',
} as const;

/** The fields of a Google service account key that firebase-admin's cert() needs. */
export type FirebaseServiceAccount = { projectId: string; clientEmail: string; privateKey: string };

const serviceAccountJson = z.object({
  project_id: z.string().min(1),
  client_email: z.email(),
  private_key: z.string().includes('PRIVATE KEY'),
});

/**
 * A Firebase service account given inline (JSON) or as the path of its .json file. Problems are
 * described without echoing the value: it holds a private key.
 */
const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'error';

export function parseServiceAccount(
  value: string,
): { ok: true; account: FirebaseServiceAccount } | { ok: false; problem: string } {
  const expected =
    'must be a Firebase service account key (its JSON, or the path of the .json file) ' +
    'with project_id, client_email and private_key';
  let text = value.trim();
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(/*turbopackIgnore: true*/ text, 'utf8');
    } catch (err) {
      return {
        ok: false,
        problem: `${expected}; it is not JSON and the file cannot be read (${errorCode(err)})`,
      };
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${expected}; it is not valid JSON` };
  }
  const parsed = serviceAccountJson.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'the value')))];
    return { ok: false, problem: `${expected}; missing or invalid: ${fields.join(', ')}` };
  }
  const a = parsed.data;
  // Keys pasted through some shells keep "\n" escaped; PEM needs real line breaks.
  const privateKey = a.private_key.replace(/\\n/g, '\n');
  try {
    createPrivateKey(privateKey);
  } catch {
    return { ok: false, problem: `${expected}; its private_key is not a PEM private key` };
  }
  return { ok: true, account: { projectId: a.project_id, clientEmail: a.client_email, privateKey } };
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Set while `next build` runs; nothing may need runtime secrets then.
  NEXT_PHASE: z.string().optional(),

  DATABASE_URL: z.string().url().optional(),
  // Straight to PostgreSQL, for what a transaction-pooling PgBouncer cannot carry: migrations
  // (a session advisory lock), the first-run seed and the workers' LISTEN. Unset: DATABASE_URL.
  DATABASE_DIRECT_URL: z.string().url().optional(),
  // Named prepared statements. Turn off behind PgBouncer in transaction pooling: a statement
  // prepared on one server connection is unknown to the next one the pooler hands out.
  DATABASE_PREPARE: bool.default(true),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_PORT: port.default(54329),
  EMBEDDED_PG_DATA: z.string().min(1).default('.data/postgres'),

  PORT: port.default(3000),
  // Loopback by default: the demo's credentials are public. The launcher refuses other
  // addresses while demo credentials are in use.
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  // Reverse proxies in front of the web server that append to X-Forwarded-For. With 0 the
  // client address is the socket's and X-Forwarded-For is ignored (clients could forge it).
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),

  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),

  SEED_ADMIN_PASSWORD: z.string().min(8).default(DEMO_CREDENTIALS.adminPassword),
  SEED_CUSTOMER_PASSWORD: z.string().min(8).default(DEMO_CREDENTIALS.customerPassword),
  DEMO_DEVICE_KEY_SEED: z.string().min(8).default(DEMO_CREDENTIALS.deviceKeySeed),
  SEED_DEMO_DEVICE_KEYS: bool.optional(),

  // HMAC key for pickup QR tokens; derived from NEXTAUTH_SECRET when unset.
  PICKUP_QR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // SMS: with a gateway URL codes are POSTed there; without one they are written to the server
  // log, but only in development or when SMS_LOG_CODES=true (a demo); production refuses to start.
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  SMS_LOG_CODES: bool.default(false),
  // Push (FCM): a service account key, inline JSON or a file path. Unset: push is off and
  // notifications reach the in-app centre only.
  FIREBASE_SERVICE_ACCOUNT: z
    .string()
    .transform((value, ctx) => {
      const r = parseServiceAccount(value);
      if (r.ok) return r.account;
      ctx.issues.push({ code: 'custom', message: r.problem, input: value });
      return z.NEVER;
    })
    .optional(),
  // Parallel push send loops per worker process (each holds one database connection while sending).
  NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),

  // Orders a customer may have open at once (not yet collected or cancelled).
  MAX_OPEN_ORDERS: z.coerce.number().int().min(1).max(1000).default(5),

  // Dispatch: a drone needs more battery than this (percent) to be assigned.
  DISPATCH_MIN_BATTERY: z.coerce.number().min(0).max(100).default(30),
  // A drone silent for longer than this (seconds) is offline and never assigned.
  DRONE_OFFLINE_TIMEOUT_S: z.coerce.number().int().min(5).max(3600).default(30),

  // A delivery assigned but not started within this many seconds is requeued.
  DISPATCH_ASSIGNED_TIMEOUT_S: z.coerce.number().int().min(10).max(86_400).default(300),
  // Days of drone_telemetry kept: the workers drop each day partition once all of it is older.
  TELEMETRY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // How often the worker sweeps even without notifications (ms).
  WORKER_SWEEP_MS: z.coerce.number().int().min(200).max(60_000).default(3000),
  // How many order workers `npm start` runs next to the web server.
  WORKERS: z.coerce.number().int().min(0).max(32).default(1),
  // `npm start` on the embedded database flies the demo fleet unless this is off.
  SIMULATOR: z.enum(['on', 'off']).default('on'),

  // Admin alerts: thresholds.
  ALERT_LOW_BATTERY: z.coerce.number().min(0).max(100).default(20),
  ALERT_STUCK_DELIVERY_MIN: z.coerce.number().int().min(1).max(1440).default(20),
  ALERT_PENDING_ORDER_MIN: z.coerce.number().int().min(1).max(1440).default(15),
  ALERT_AUTOMAT_SILENT_MIN: z.coerce.number().int().min(1).max(1440).default(5),

  // The deployment's time zone: every date in the UI and in notifications is shown in it,
  // whatever the browser's zone, so server and client render the same text.
  APP_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone name such as Europe/Moscow')
    .default('Europe/Moscow'),

  MAP_TILE_URL: z.string().default('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_TILE_ATTRIBUTION: z.string().default('&copy; OpenStreetMap contributors'),

  // Serve the existing .next build as it is (tests build once, then start servers many times).
  SKIP_BUILD: bool.default(false),
});

export type Env = z.infer<typeof envSchema> & {
  isProduction: boolean;
  isBuildPhase: boolean;
  logFormat: 'json' | 'pretty';
};

export class EnvError extends Error {}

export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  opts: { requireSecret?: boolean } = {},
): Env {
  // Empty strings mean "unset", as they do in most deploy tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_DIRECT_URL && !e.DATABASE_URL) {
    // Without DATABASE_URL the embedded database is used, and a direct URL elsewhere would split
    // migrations and LISTEN from the queries: refuse rather than guess.
    throw new EnvError(
      'Invalid environment configuration:\n  DATABASE_DIRECT_URL: is set but DATABASE_URL is not; set both ' +
        '(DATABASE_URL through the pooler, DATABASE_DIRECT_URL to PostgreSQL itself), ' +
        'or neither for the embedded database',
    );
  }
  const isProduction = e.NODE_ENV === 'production';
  const isBuildPhase = e.NEXT_PHASE === 'phase-production-build';
  if ((opts.requireSecret ?? true) && isProduction && !isBuildPhase && !e.NEXTAUTH_SECRET) {
    throw new EnvError(
      'NEXTAUTH_SECRET is required in production (32+ random characters, e.g. `openssl rand -base64 48`). ' +
        '`npm start` generates one for the embedded demo database; set it yourself when DATABASE_URL points elsewhere.',
    );
  }
  // Sign-in codes in the log let anyone who reads it sign in as anyone: never by accident.
  if (isProduction && !isBuildPhase && !e.SMS_GATEWAY_URL && !e.SMS_LOG_CODES) {
    throw new EnvError(
      'SMS_GATEWAY_URL is required in production: sign-in codes are sent there. ' +
        'For a demo without a gateway, set SMS_LOG_CODES=true to write the codes to the server log instead ' +
        '(anyone who can read the log can then sign in as any phone user).',
    );
  }
  return { ...e, isProduction, isBuildPhase, logFormat: e.LOG_FORMAT ?? (isProduction ? 'json' : 'pretty') };
}

let cached: Env | undefined;

/**
 * For the launcher, which supplies NEXTAUTH_SECRET to the web server itself: read the
 * configuration without requiring it, and publish the secret it chose before env() is used.
 */
export function launcherEnv(localSecret: () => string, dev: boolean): Env {
  const e = loadEnv(process.env, { requireSecret: false });
  if (!e.NEXTAUTH_SECRET && (dev || !e.DATABASE_URL)) process.env.NEXTAUTH_SECRET = localSecret();
  cached = undefined;
  return env();
}

/** Parsed once per process, on first use (not at import, so `next build` never needs runtime secrets). */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
