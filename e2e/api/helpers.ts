import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { test as base, expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import postgres from 'postgres';

// Shared helpers for the HTTP contract tests (docs/openapi.yaml). Every test
// works with its own freshly registered accounts, its own phone numbers and its own
// client IP (X-Forwarded-For), so tests can run in parallel and in any order.

export const pgPort = Number(process.env.E2E_PG_PORT ?? 54339);
export const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/skypost_delivery`;

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export const uid = () => randomBytes(6).toString('hex');
export const uniqueEmail = (tag = 'user') => `e2e.${tag}.${uid()}@example.com`;
/** A random E.164 number in a range the seed does not use (+7999 plus 7 digits). */
export const randomPhone = () => `+7999${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
/** A random client address, so no two requests share a per-IP rate-limit bucket. */
export const randomIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
export const randomUuid = () => randomUUID();

export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** Asserts the contract's error: status, `{"error": {"code", "message", "fields"?}}`. Returns the body. */
export async function expectError(res: APIResponse, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status(), `${res.url()} -> ${text}`).toBe(status);
  expect(res.headers()['content-type'] ?? '').toContain('application/json');
  const body = JSON.parse(text) as ErrorBody;
  expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** Asserts a validation error that names (at least) the given fields. */
export async function expectValidation(res: APIResponse, fields: string[]): Promise<ErrorBody> {
  const body = await expectError(res, 400, 'validation_failed');
  expect(body.error.fields, JSON.stringify(body)).toBeDefined();
  for (const f of fields)
    expect(typeof body.error.fields?.[f], `fields.${f} in ${JSON.stringify(body)}`).toBe('string');
  return body;
}

/** Asserts a 2xx JSON answer with the exact status and returns the body. */
export async function expectJson<T>(res: APIResponse, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status(), `${res.url()} -> ${text}`).toBe(status);
  expect(res.headers()['content-type'] ?? '').toContain('application/json');
  return JSON.parse(text) as T;
}

/** Asserts an ISO-8601 UTC time about `expectedMs` (± toleranceMs). */
export function expectTimeNear(iso: unknown, expectedMs: number, toleranceMs: number) {
  expect(iso).toMatch(ISO_RE);
  const t = Date.parse(iso as string);
  expect(Math.abs(t - expectedMs), `${String(iso)} vs ${new Date(expectedMs).toISOString()}`).toBeLessThanOrEqual(
    toleranceMs,
  );
}

/** Sends raw text as a JSON body (for malformed or oversized bodies). */
export function postRaw(
  request: APIRequestContext,
  url: string,
  { body, headers = {} }: { body: string; headers?: Record<string, string> },
) {
  return request.post(url, { data: body, headers: { 'content-type': 'application/json', ...headers } });
}

export type RegisteredUser = { id: string; full_name: string; email: string; role: string };

export async function register(
  request: APIRequestContext,
  input: { full_name: string; email: string; password: string },
): Promise<RegisteredUser> {
  const res = await request.post('/api/auth/register', { data: input, headers: { 'x-forwarded-for': randomIp() } });
  const body = await expectJson<{ user: RegisteredUser }>(res, 201);
  return body.user;
}

export async function csrfToken(request: APIRequestContext): Promise<string> {
  const res = await request.get('/api/auth/csrf');
  expect(res.status()).toBe(200);
  const { csrfToken: token } = (await res.json()) as { csrfToken: string };
  expect(typeof token).toBe('string');
  return token;
}

/** next-auth's credentials flow; the session cookie lands in the context's cookie jar. */
export async function signInWithPassword(
  request: APIRequestContext,
  email: string,
  password: string,
): Promise<APIResponse> {
  const token = await csrfToken(request);
  return request.post('/api/auth/callback/password', { form: { email, password, csrfToken: token }, maxRedirects: 0 });
}

export type SessionBody = { user?: { id: string; name: string; email: string | null; role: string }; expires?: string };

export async function session(request: APIRequestContext): Promise<SessionBody> {
  const res = await request.get('/api/auth/session');
  expect(res.status()).toBe(200);
  return (await res.json()) as SessionBody;
}

export type Customer = { request: APIRequestContext; user: RegisteredUser; email: string; password: string };

export type OrderJson = {
  id: string;
  status: string;
  created_at: string;
  updated_at?: string;
  good: { id: string; name: string; weight: number; height: number; length: number; width: number };
  automat: { id: string; city: string; address: string; lat: number; lon: number };
  cell_number: number | null;
};

export async function placeOrder(customer: Customer, goodId: string, automatId: string): Promise<OrderJson> {
  const res = await customer.request.post('/api/orders', { data: { good_id: goodId, parcel_automat_id: automatId } });
  return (await expectJson<{ order: OrderJson }>(res, 201)).order;
}

export type Sql = postgres.Sql;

export type SeedIds = {
  goods: Record<string, string>;
  automats: Record<number, string>;
};

export const SEED_GOOD_NAMES = [
  'Small Package',
  'Phone Charger',
  'Houseplant in Pot',
  'Limited Edition Sneakers',
] as const;

type TestFixtures = {
  /**
   * Makes a freshly registered customer, signed in in its own request context. Pending orders are cancelled
   * afterwards.
   */
  newCustomer: (tag?: string) => Promise<Customer>;
  /** A signed-out request context of its own. */
  anonymous: APIRequestContext;
  /** Inserts a good of our own (tiny by default) and removes it after the test. */
  createGood: (input: {
    quantity: number;
    height?: number;
    length?: number;
    width?: number;
  }) => Promise<{ id: string; name: string }>;
};

type WorkerFixtures = { sql: Sql; ids: SeedIds };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sql: [
    async ({}, use) => {
      const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
      await use(sql);
      await sql.end({ timeout: 5 });
    },
    { scope: 'worker' },
  ],

  ids: [
    async ({ sql }, use) => {
      const goodRows = await sql<
        { id: string; name: string }[]
      >`select id, name from goods where name in ${sql([...SEED_GOOD_NAMES])}`;
      const automatRows = await sql<{ id: string; aruco_id: number }[]>`select id, aruco_id from parcel_automats`;
      const goods = Object.fromEntries(goodRows.map((r) => [r.name, r.id]));
      for (const n of SEED_GOOD_NAMES) if (!goods[n]) throw new Error(`Seed good "${n}" not found in ${databaseUrl}`);
      const automats = Object.fromEntries(automatRows.map((r) => [r.aruco_id, r.id])) as Record<number, string>;
      for (const a of [101, 102, 105, 106]) if (!automats[a]) throw new Error(`Seed automat with ArUco ${a} not found`);
      await use({ goods, automats });
    },
    { scope: 'worker' },
  ],

  anonymous: async ({ playwright, baseURL }, use) => {
    const ctx = await playwright.request.newContext({ baseURL });
    await use(ctx);
    await ctx.dispose();
  },

  newCustomer: async ({ playwright, baseURL }, use) => {
    const made: Customer[] = [];
    await use(async (tag = 'customer') => {
      const request = await playwright.request.newContext({ baseURL });
      const email = uniqueEmail(tag);
      const password = `pw-${uid()}-long`;
      const user = await register(request, { full_name: `E2E ${tag}`, email, password });
      const res = await signInWithPassword(request, email, password);
      expect(res.status()).toBe(302);
      expect(res.headers().location ?? '').not.toContain('error=');
      const s = await session(request);
      expect(s.user?.id).toBe(user.id);
      const customer = { request, user, email, password };
      made.push(customer);
      return customer;
    });
    // Give reserved locker cells and stock back: cancel whatever the test left pending.
    for (const c of made) {
      const res = await c.request.get('/api/me/orders');
      if (res.ok()) {
        const { orders } = (await res.json()) as { orders: OrderJson[] };
        for (const o of orders) if (o.status === 'pending') await c.request.post(`/api/orders/${o.id}/cancel`);
      }
      await c.request.dispose();
    }
  },

  createGood: async ({ sql }, use) => {
    const made: string[] = [];
    await use(async ({ quantity, height = 1, length = 2, width = 1 }) => {
      const name = `E2E stock-${quantity} ${uid()}`;
      const [row] = await sql<{ id: string }[]>`
        insert into goods (name, weight, height, length, width, quantity_available)
        values (${name}, 0.1, ${height}, ${length}, ${width}, ${quantity})
        returning id`;
      if (!row) throw new Error('insert into goods returned nothing');
      made.push(row.id);
      return { id: row.id, name };
    });
    // Our own rows only: free any cell still reserved by a pending order of these goods
    // (normally none: newCustomer cancels them), then delete their orders and the goods (a
    // good that orders name cannot be deleted).
    for (const id of made) {
      await sql`
        update locker_cells_out set status = 'available'
        where status = 'reserved'
          and id in (select locker_cell_id from orders where good_id = ${id} and status = 'pending')`;
      await sql`delete from orders where good_id = ${id}`;
      await sql`delete from goods where id = ${id}`;
    }
  },
});

export { expect };

export async function goodStock(sql: Sql, goodId: string): Promise<number> {
  const [row] = await sql<{ q: number }[]>`select quantity_available as q from goods where id = ${goodId}`;
  if (!row) throw new Error(`good ${goodId} not found`);
  return row.q;
}
