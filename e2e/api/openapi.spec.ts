import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { APIResponse } from '@playwright/test';
import type { z } from 'zod';
import { createDb } from '@/db';
import { findOperation, registeredResponse } from '@/lib/contract/openapi';
import { operations, type Method } from '@/lib/contract/registry';
import { deriveDemoDeviceKey, hashDeviceKey } from '@/lib/device-keys/keys';
import { applyDroneEvent, assignOrder } from '@/lib/dispatch/delivery-flow';
import { notifyOrderCustomer } from '@/lib/notifications/outbox';
import {
  csrfToken,
  expect,
  placeOrder,
  postRaw,
  randomIp,
  randomPhone,
  randomUuid,
  register,
  signInWithPassword,
  test,
  uid,
  uniqueEmail,
  type OrderJson,
  type Sql,
} from './helpers';

// The HTTP contract checked against the real handlers. The contract is code: the route
// registry (lib/contract/registry.ts) and the zod schemas of lib/validation/, from which
// docs/openapi.yaml is generated (tests/openapi.test.ts keeps the file fresh). Here every
// answer is parsed with the schema registered for that exact path, method and status, and
// the registry and the route files under app/api must list the same operations.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const APP_DIR = path.join(ROOT, 'app');

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('\n  ');
}

/** A header value against its schema; numeric headers (Retry-After) are sent as text. */
function headerMatches(schema: z.ZodType, value: string): boolean {
  return schema.safeParse(value).success || (/^-?\d+(\.\d+)?$/.test(value) && schema.safeParse(Number(value)).success);
}

/**
 * Asserts the answer has the expected status, that the registry lists that status for this
 * path and method, and that the body and the registered headers match it. Returns the body.
 */
async function conforms<T = unknown>(
  res: APIResponse,
  { method, specPath, status }: { method: Method; specPath: string; status: number },
): Promise<T> {
  const label = `${method.toUpperCase()} ${specPath} -> ${status}`;
  const text = await res.text();
  expect(res.status(), `${res.url()} answered ${res.status()}: ${text}`).toBe(status);
  const spec = registeredResponse(method, specPath, status);
  expect(spec, `${label} is not in the route registry (lib/contract/registry.ts)`).toBeDefined();
  const headers = res.headers();

  let body: unknown = undefined;
  if (spec?.schema) {
    expect(headers['content-type'] ?? '', `${label} content type`).toContain('application/json');
    body = JSON.parse(text) as unknown;
    const { error } = spec.schema.safeParse(body);
    const problems = error ? describeIssues(error) : '';
    expect(error, `${label}: the body does not match the schema:\n  ${problems}\nbody: ${text}`).toBeUndefined();
  } else if (status === 204) {
    expect(text, `${label} has no body`).toBe('');
  }

  for (const [name, header] of Object.entries(spec?.headers ?? {})) {
    const value = headers[name.toLowerCase()];
    if (header.required) expect(value, `${label}: header ${name}`).toBeDefined();
    if (value !== undefined)
      expect(headerMatches(header.schema, value), `${label}: header ${name}: ${value}`).toBe(true);
  }
  return body as T;
}

function requestSchema(method: Method, specPath: string, mediaType: string): z.ZodType {
  const request = findOperation(method, specPath)?.request;
  expect(request, `${method.toUpperCase()} ${specPath} registers a request body`).toBeDefined();
  expect(request?.mediaType ?? 'application/json', `${method.toUpperCase()} ${specPath} media type`).toBe(mediaType);
  return request!.schema;
}

/** A request body we send must itself satisfy the registered request schema. */
function expectValidRequest({
  method,
  specPath,
  body,
  mediaType = 'application/json',
}: {
  method: Method;
  specPath: string;
  body: unknown;
  mediaType?: string;
}) {
  const parsed = requestSchema(method, specPath, mediaType).safeParse(body);
  expect(
    parsed.success,
    `request for ${method.toUpperCase()} ${specPath}: ${parsed.error ? describeIssues(parsed.error) : ''}`,
  ).toBe(true);
}

function expectInvalidRequest(method: Method, specPath: string, body: unknown) {
  const parsed = requestSchema(method, specPath, 'application/json').safeParse(body);
  expect(parsed.success, `${JSON.stringify(body)} should be rejected by the request schema`).toBe(false);
}

// ---- route files under app/api ---------------------------------------------------------

type RouteFile = { file: string; urlPath: string; methods: Method[]; catchAll: boolean };

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function findRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return findRouteFiles(full);
    return /^route\.(ts|tsx|js|mjs)$/.test(e.name) ? [full] : [];
  });
}

/** Which HTTP methods a route module exports (const, function or `export { x as GET }`). */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  const verbs = VERBS.map((v) => v.toUpperCase()).join('|');
  for (const m of source.matchAll(new RegExp(`export\\s+(?:const|let|var)\\s+(${verbs})\\b`, 'g'))) found.add(m[1]!);
  for (const m of source.matchAll(new RegExp(`export\\s+(?:async\\s+)?function\\s+(${verbs})\\b`, 'g')))
    found.add(m[1]!);
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const spec of block[1]!.split(',')) {
      const name =
        spec
          .trim()
          .split(/\s+as\s+/)
          .pop()
          ?.trim() ?? '';
      if (new RegExp(`^(${verbs})$`).test(name)) found.add(name);
    }
  }
  return [...found].map((m) => m.toLowerCase()).sort();
}

function routeFiles(): RouteFile[] {
  return findRouteFiles(path.join(APP_DIR, 'api')).map((file) => {
    const segments = path.relative(APP_DIR, path.dirname(file)).split(path.sep);
    let catchAll = false;
    const url = segments
      .filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')) // route groups and slots are not in the URL
      .map((s) => {
        if (/^\[\[?\.\.\./.test(s)) catchAll = true;
        const param = /^\[([^.[\]]+)\]$/.exec(s);
        return param ? `{${param[1]}}` : s;
      });
    return {
      file: path.relative(ROOT, file),
      urlPath: `/${url.join('/')}`,
      methods: exportedMethods(readFileSync(file, 'utf8')) as Method[],
      catchAll,
    };
  });
}

const NEXTAUTH_ROUTE = path.join('app', 'api', 'auth', '[...nextauth]', 'route.ts');

const SMALL_PACKAGE = 'Small Package';

// ---- the registry against the route files ------------------------------------------------

test.describe('the route registry', () => {
  test('lists exactly the operations the route handlers under app/api serve', () => {
    const routes = routeFiles();
    const nextauth = routes.find((r) => r.file === NEXTAUTH_ROUTE);
    expect(nextauth, `${NEXTAUTH_ROUTE} exists`).toBeDefined();
    const explicit = routes.filter((r) => r !== nextauth);
    for (const r of explicit)
      expect(
        r.catchAll,
        `${r.file}: a catch-all route other than next-auth's; register its operations and teach this test`,
      ).toBe(false);
    expect(explicit.length).toBeGreaterThan(5);

    // Every method a route file exports is registered and not marked planned.
    for (const r of explicit) {
      expect(r.methods.length, `${r.file} exports a handler`).toBeGreaterThan(0);
      for (const m of r.methods) {
        const op = findOperation(m, r.urlPath);
        expect(
          op,
          `${m.toUpperCase()} ${r.urlPath} (${r.file}) is missing from lib/contract/registry.ts`,
        ).toBeDefined();
        expect(op?.status ?? 'implemented', `${m.toUpperCase()} ${r.urlPath} has a handler: drop status planned`).toBe(
          'implemented',
        );
      }
    }

    // Every registered operation has a handler, unless planned; planned ones have none yet.
    for (const op of operations) {
      const label = `${op.method.toUpperCase()} ${op.path}`;
      const route = explicit.find((r) => r.urlPath === op.path);
      if ((op.status ?? 'implemented') === 'implemented') {
        if (op.provider === 'next-auth') {
          expect(op.path.startsWith('/api/auth/'), label).toBe(true);
          expect(route, `${label} is next-auth's but an explicit route (${route?.file}) shadows it`).toBeUndefined();
          expect(nextauth?.methods, `${label}: ${NEXTAUTH_ROUTE} exports ${op.method.toUpperCase()}`).toContain(
            op.method,
          );
        } else {
          expect(route, `${label} is registered but there is no route.ts for it`).toBeDefined();
          expect(route?.methods, `${label}: ${route?.file} exports ${op.method.toUpperCase()}`).toContain(op.method);
        }
      } else {
        expect(route?.methods ?? [], `${label} is planned but ${route?.file} serves it: drop planned`).not.toContain(
          op.method,
        );
        expect(op.provider, label).toBeUndefined();
      }
    }
    // The contract's device endpoints are all registered.
    const device = operations.filter((o) => /^\/api\/(drones|deliveries|automats)\//.test(o.path));
    expect(device.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual(
      [
        'GET /api/automats/{automatId}/expected',
        'GET /api/drones/{droneId}/task',
        'POST /api/automats/{automatId}/heartbeat',
        'POST /api/automats/{automatId}/scan',
        'POST /api/automats/{automatId}/staff-pin',
        'POST /api/automats/{automatId}/staff-session',
        'POST /api/automats/{automatId}/transfer',
        'POST /api/deliveries/{deliveryId}/events',
        'POST /api/drones/{droneId}/telemetry',
      ].sort(),
    );
  });
});

// ---- the real endpoints ----------------------------------------------------------------

test.describe('real answers match the registered schemas', () => {
  test('GET /api/health 200', async ({ request }) => {
    await conforms(await request.get('/api/health'), { method: 'get', specPath: '/api/health', status: 200 });
  });

  test('POST /api/auth/register 201, 409, 400, 413', async ({ request }) => {
    const p = '/api/auth/register';
    const input = { full_name: 'Contract Person', email: uniqueEmail('openapi'), password: `pw-${uid()}-long` };
    expectValidRequest({ method: 'post', specPath: p, body: input });
    const created = await conforms<{ user: { email: string } }>(
      await request.post(p, { data: input, headers: { 'x-forwarded-for': randomIp() } }),
      { method: 'post', specPath: p, status: 201 },
    );
    expect(created.user.email).toBe(input.email);

    await conforms(
      await request.post(p, {
        data: { ...input, full_name: 'Someone Else' },
        headers: { 'x-forwarded-for': randomIp() },
      }),
      { method: 'post', specPath: p, status: 409 },
    );

    const bad = { full_name: 'X', email: 'not-an-email', password: 'short' };
    expectInvalidRequest('post', p, bad);
    const invalid = await conforms<{ error: { fields?: Record<string, string> } }>(
      await request.post(p, { data: bad }),
      { method: 'post', specPath: p, status: 400 },
    );
    expect(Object.keys(invalid.error.fields ?? {}).sort()).toEqual(['email', 'full_name', 'password']);
    await conforms(await postRaw(request, p, { body: '{"full_name": ' }), { method: 'post', specPath: p, status: 400 });

    const big = JSON.stringify({ ...input, email: uniqueEmail('openapi-big'), padding: 'x'.repeat(9 * 1024) });
    await conforms(await postRaw(request, p, { body: big }), { method: 'post', specPath: p, status: 413 });
  });

  test('POST /api/auth/phone/code 200, 429, 400', async ({ request }) => {
    test.setTimeout(60_000);
    const p = '/api/auth/phone/code';
    // The per-phone burst limit uses fixed 30 s windows: start clear of a window boundary.
    const intoWindow = Date.now() % 30_000;
    if (intoWindow > 25_000) await new Promise((r) => setTimeout(r, 30_000 - intoWindow + 200));

    const input = { phone_number: randomPhone(), full_name: 'Contract Phone' };
    expectValidRequest({ method: 'post', specPath: p, body: input });
    await conforms(await request.post(p, { data: input, headers: { 'x-forwarded-for': randomIp() } }), {
      method: 'post',
      specPath: p,
      status: 200,
    });
    // Same phone from another address: the per-phone limit, with the seconds to wait.
    const limited = await request.post(p, {
      data: { phone_number: input.phone_number },
      headers: { 'x-forwarded-for': randomIp() },
    });
    await conforms(limited, { method: 'post', specPath: p, status: 429 });
    expect(limited.headers()['retry-after'], 'Retry-After header').toMatch(/^\d+$/);

    expectInvalidRequest('post', p, { phone_number: '12345' });
    await conforms(
      await request.post(p, { data: { phone_number: '12345' }, headers: { 'x-forwarded-for': randomIp() } }),
      { method: 'post', specPath: p, status: 400 },
    );
    await conforms(await request.post(p, { data: {}, headers: { 'x-forwarded-for': randomIp() } }), {
      method: 'post',
      specPath: p,
      status: 400,
    });
  });

  test('next-auth sign-in: GET /api/auth/csrf 200, callbacks 302', async ({ request }) => {
    await conforms(await request.get('/api/auth/csrf'), { method: 'get', specPath: '/api/auth/csrf', status: 200 });
    const token = await csrfToken(request);

    const email = uniqueEmail('openapi-signin');
    const password = `pw-${uid()}-long`;
    await conforms(
      await request.post('/api/auth/register', {
        data: { full_name: 'Sign In', email, password },
        headers: { 'x-forwarded-for': randomIp() },
      }),
      { method: 'post', specPath: '/api/auth/register', status: 201 },
    );

    const cb = '/api/auth/callback/password';
    const wrong = { email, password: 'wrong-password-1', csrfToken: token };
    expectValidRequest({ method: 'post', specPath: cb, body: wrong, mediaType: 'application/x-www-form-urlencoded' });
    const refused = await request.post(cb, { form: wrong, maxRedirects: 0 });
    await conforms(refused, { method: 'post', specPath: cb, status: 302 });
    expect(refused.headers().location).toContain('error=CredentialsSignin');

    const ok = await request.post(cb, { form: { email, password, csrfToken: token }, maxRedirects: 0 });
    await conforms(ok, { method: 'post', specPath: cb, status: 302 });
    expect(ok.headers().location ?? '').not.toContain('error=');
    expect(ok.headers()['set-cookie'] ?? '').toContain('next-auth.session-token=');

    const phoneCb = '/api/auth/callback/phone';
    const phoneForm = { phone_number: randomPhone(), code: '123456', csrfToken: token };
    expectValidRequest({
      method: 'post',
      specPath: phoneCb,
      body: phoneForm,
      mediaType: 'application/x-www-form-urlencoded',
    });
    const phoneRefused = await request.post(phoneCb, { form: phoneForm, maxRedirects: 0 });
    await conforms(phoneRefused, { method: 'post', specPath: phoneCb, status: 302 });
    expect(phoneRefused.headers().location).toContain('error=CredentialsSignin');
  });

  test('GET and POST /api/me/pickup-code 200', async ({ newCustomer }) => {
    const c = await newCustomer('openapi-pickup');
    const p = '/api/me/pickup-code';
    const first = await conforms<{ token: string }>(await c.request.get(p), {
      method: 'get',
      specPath: p,
      status: 200,
    });
    const renewed = await conforms<{ token: string }>(await c.request.post(p), {
      method: 'post',
      specPath: p,
      status: 200,
    });
    expect(renewed.token).not.toBe(first.token);
  });

  test('POST /api/me/devices 200, 400', async ({ newCustomer }) => {
    const c = await newCustomer('openapi-devices');
    const p = '/api/me/devices';
    const input = { token: `fcm-${uid()}`, platform: 'android' };
    expectValidRequest({ method: 'post', specPath: p, body: input });
    await conforms(await c.request.post(p, { data: input }), { method: 'post', specPath: p, status: 200 });

    expectInvalidRequest('post', p, { token: `fcm-${uid()}`, platform: 'windows' });
    await conforms(await c.request.post(p, { data: { token: `fcm-${uid()}`, platform: 'windows' } }), {
      method: 'post',
      specPath: p,
      status: 400,
    });
    await conforms(await c.request.post(p, { data: { platform: 'ios' } }), {
      method: 'post',
      specPath: p,
      status: 400,
    });
    await conforms(await postRaw(c.request, p, { body: '{"token":' }), { method: 'post', specPath: p, status: 400 });
  });

  test('GET /api/me/orders 200; GET /api/me/orders/{orderId} 200, 404', async ({ newCustomer, ids }) => {
    const c = await newCustomer('openapi-list');
    const empty = await conforms<{ orders: OrderJson[] }>(await c.request.get('/api/me/orders'), {
      method: 'get',
      specPath: '/api/me/orders',
      status: 200,
    });
    expect(empty.orders).toEqual([]);

    const order = await placeOrder(c, ids.goods[SMALL_PACKAGE]!, ids.automats[101]!);
    const list = await conforms<{ orders: OrderJson[] }>(await c.request.get('/api/me/orders'), {
      method: 'get',
      specPath: '/api/me/orders',
      status: 200,
    });
    expect(list.orders.map((o) => o.id)).toEqual([order.id]);

    const d = '/api/me/orders/{orderId}';
    const detail = await conforms<{ order: { id: string; timeline: unknown[]; tracking: unknown } }>(
      await c.request.get(`/api/me/orders/${order.id}`),
      { method: 'get', specPath: d, status: 200 },
    );
    expect(detail.order.id).toBe(order.id);
    expect(detail.order.timeline.length).toBeGreaterThan(0);

    await conforms(await c.request.get(`/api/me/orders/${randomUuid()}`), { method: 'get', specPath: d, status: 404 });
    await conforms(await c.request.get('/api/me/orders/not-a-uuid'), { method: 'get', specPath: d, status: 404 });
  });

  test('POST /api/orders 201, 404, 409 no_capacity and out_of_stock, 400', async ({ newCustomer, ids, createGood }) => {
    const c = await newCustomer('openapi-orders');
    const p = '/api/orders';
    const post = (data: unknown) => c.request.post(p, { data });
    const input = { good_id: ids.goods[SMALL_PACKAGE]!, parcel_automat_id: ids.automats[102]! };
    expectValidRequest({ method: 'post', specPath: p, body: input });
    const created = await conforms<{ order: OrderJson }>(await post(input), {
      method: 'post',
      specPath: p,
      status: 201,
    });
    expect(created.order).toMatchObject({ status: 'pending', cell_number: null });

    await conforms(await post({ ...input, good_id: randomUuid() }), { method: 'post', specPath: p, status: 404 });
    await conforms(await post({ ...input, parcel_automat_id: randomUuid() }), {
      method: 'post',
      specPath: p,
      status: 404,
    });

    // ArUco 106 is closed; the houseplant fits no pickup cell of ArUco 105.
    const closed = await conforms<{ error: { code: string } }>(
      await post({ ...input, parcel_automat_id: ids.automats[106] }),
      { method: 'post', specPath: p, status: 409 },
    );
    expect(closed.error.code).toBe('no_capacity');
    const tooBig = await conforms<{ error: { code: string } }>(
      await post({ good_id: ids.goods['Houseplant in Pot'], parcel_automat_id: ids.automats[105] }),
      { method: 'post', specPath: p, status: 409 },
    );
    expect(tooBig.error.code).toBe('no_capacity');
    const soldOut = await createGood({ quantity: 0 });
    const stock = await conforms<{ error: { code: string } }>(
      await post({ good_id: soldOut.id, parcel_automat_id: ids.automats[102] }),
      { method: 'post', specPath: p, status: 409 },
    );
    expect(stock.error.code).toBe('out_of_stock');

    expectInvalidRequest('post', p, { good_id: 'not-a-uuid', parcel_automat_id: input.parcel_automat_id });
    await conforms(await post({ good_id: 'not-a-uuid', parcel_automat_id: input.parcel_automat_id }), {
      method: 'post',
      specPath: p,
      status: 400,
    });
    await conforms(await post({}), { method: 'post', specPath: p, status: 400 });
    await conforms(await postRaw(c.request, p, { body: '' }), { method: 'post', specPath: p, status: 400 });
  });

  test('POST /api/orders/{orderId}/cancel 200, 409, 404', async ({ newCustomer, ids }) => {
    const c = await newCustomer('openapi-cancel');
    const p = '/api/orders/{orderId}/cancel';
    const order = await placeOrder(c, ids.goods['Phone Charger']!, ids.automats[102]!);
    const done = await conforms<{ order: { id: string; status: string } }>(
      await c.request.post(`/api/orders/${order.id}/cancel`),
      { method: 'post', specPath: p, status: 200 },
    );
    expect(done.order).toEqual({ id: order.id, status: 'cancelled' });
    await conforms(await c.request.post(`/api/orders/${order.id}/cancel`), {
      method: 'post',
      specPath: p,
      status: 409,
    });
    await conforms(await c.request.post(`/api/orders/${randomUuid()}/cancel`), {
      method: 'post',
      specPath: p,
      status: 404,
    });
  });

  test('admin endpoints: 200 bodies match the schemas, unknown ids 404, customers 403', async ({
    playwright,
    baseURL,
    ids,
  }) => {
    const admin = await playwright.request.newContext({ baseURL });
    const customer = await playwright.request.newContext({ baseURL });
    try {
      await signInWithPassword(admin, 'admin@skypost.com', process.env.SEED_ADMIN_PASSWORD ?? 'admin-skypost-1');
      const snapshot = await conforms<{
        drones: unknown[][];
        automats: { id: string }[];
        version: string;
        full: boolean;
      }>(await admin.get('/api/admin/fleet'), { method: 'get', specPath: '/api/admin/fleet', status: 200 });
      expect(snapshot.automats.length).toBeGreaterThanOrEqual(7);
      expect(snapshot.full).toBe(true);
      // The live feed: a delta since the version held; another instance's version gets a full snapshot; a malformed one
      // is a 400.
      const delta = await conforms<{ full: boolean; removed: string[] }>(
        await admin.get(`/api/admin/fleet?since=${encodeURIComponent(snapshot.version)}`),
        { method: 'get', specPath: '/api/admin/fleet', status: 200 },
      );
      expect([delta.full, Array.isArray(delta.removed)]).toEqual([false, true]);
      const other = await conforms<{ full: boolean; drones: unknown[] }>(
        await admin.get('/api/admin/fleet?since=0123456789ab.1'),
        { method: 'get', specPath: '/api/admin/fleet', status: 200 },
      );
      expect([other.full, other.drones.length]).toEqual([true, snapshot.drones.length]);
      const bad = await conforms<{ error: { code: string; fields: Record<string, string> } }>(
        await admin.get('/api/admin/fleet?since=nope'),
        { method: 'get', specPath: '/api/admin/fleet', status: 400 },
      );
      expect([bad.error.code, Object.keys(bad.error.fields)]).toEqual(['validation_failed', ['since']]);
      const droneId = String(snapshot.drones[0]?.[0]);
      await conforms(await admin.get(`/api/admin/drones/${droneId}`), {
        method: 'get',
        specPath: '/api/admin/drones/{droneId}',
        status: 200,
      });
      await conforms(await admin.get(`/api/admin/drones/${randomUuid()}`), {
        method: 'get',
        specPath: '/api/admin/drones/{droneId}',
        status: 404,
      });
      const cells = await conforms<{ cells: unknown[] }>(
        await admin.get(`/api/admin/automats/${ids.automats[101]}/cells`),
        { method: 'get', specPath: '/api/admin/automats/{automatId}/cells', status: 200 },
      );
      expect(cells.cells).toHaveLength(20);
      await conforms(await admin.get(`/api/admin/automats/${randomUuid()}/cells`), {
        method: 'get',
        specPath: '/api/admin/automats/{automatId}/cells',
        status: 404,
      });
      const alerts = await conforms<{ alerts: { kind: string }[]; closed_lockers: { address: string }[] }>(
        await admin.get('/api/admin/alerts'),
        { method: 'get', specPath: '/api/admin/alerts', status: 200 },
      );
      // The seed's closed locker is listed as closed, not as an alert.
      expect(alerts.closed_lockers.map((c) => c.address)).toContain('Paveletskaya Sq., 1');
      expect(alerts.alerts.map((a) => a.kind)).not.toContain('automat_not_working');
      const email = `e2e.oa.${uid()}@example.com`;
      await register(customer, { full_name: 'Not An Admin', email, password: 'not-admin-1' });
      await signInWithPassword(customer, email, 'not-admin-1');
      await conforms(await customer.get('/api/admin/fleet'), {
        method: 'get',
        specPath: '/api/admin/fleet',
        status: 403,
      });
    } finally {
      await admin.dispose();
      await customer.dispose();
    }
  });

  test('GET /api/me/notifications 200, 400; POST read 200, 404; POST read-all 200', async ({
    newCustomer,
    ids,
    sql,
  }) => {
    const c = await newCustomer('openapi-inbox');
    const other = await newCustomer('openapi-inbox-other');
    const l = '/api/me/notifications';
    const empty = await conforms<{ notifications: unknown[]; unread: number }>(await c.request.get(l), {
      method: 'get',
      specPath: l,
      status: 200,
    });
    expect(empty).toEqual({ notifications: [], unread: 0 });

    const order = await placeOrder(c, ids.goods[SMALL_PACKAGE]!, ids.automats[101]!);
    await createDb(sql).transaction((tx) =>
      notifyOrderCustomer(tx, { orderId: order.id, kind: 'order_ready', opts: { cellNumber: 4 } }),
    );
    const list = await conforms<{
      notifications: { id: string; title: string; link: string; read_at: string | null }[];
      unread: number;
    }>(await c.request.get(`${l}?limit=5`), { method: 'get', specPath: l, status: 200 });
    expect(list.unread).toBe(1);
    expect(list.notifications.map((n) => [n.title, n.link, n.read_at])).toEqual([['Ready in cell 4', '/pickup', null]]);
    await conforms(await c.request.get(`${l}?limit=0`), { method: 'get', specPath: l, status: 400 });
    await conforms(await c.request.get(`${l}?limit=abc`), { method: 'get', specPath: l, status: 400 });

    const r = '/api/me/notifications/{notificationId}/read';
    const id = list.notifications[0]!.id;
    await conforms(await other.request.post(`/api/me/notifications/${id}/read`), {
      method: 'post',
      specPath: r,
      status: 404,
    }); // not theirs
    await conforms(await c.request.post(`/api/me/notifications/not-a-uuid/read`), {
      method: 'post',
      specPath: r,
      status: 404,
    });
    const read = await conforms<{ notification: { read_at: string; link: string } }>(
      await c.request.post(`/api/me/notifications/${id}/read`),
      { method: 'post', specPath: r, status: 200 },
    );
    expect(read.notification.link).toBe('/pickup');
    const again = await conforms<{ notification: { read_at: string } }>(
      await c.request.post(`/api/me/notifications/${id}/read`),
      { method: 'post', specPath: r, status: 200 },
    );
    expect(again.notification.read_at).toBe(read.notification.read_at);
    expect((await (await c.request.get(l)).json()).unread).toBe(0);
    expect((await (await other.request.get(l)).json()).notifications).toEqual([]);

    await createDb(sql).transaction((tx) =>
      notifyOrderCustomer(tx, { orderId: order.id, kind: 'order_cancelled', opts: { reason: 'e2e' } }),
    );
    const all = await conforms<{ updated: number }>(await c.request.post('/api/me/notifications/read-all'), {
      method: 'post',
      specPath: '/api/me/notifications/read-all',
      status: 200,
    });
    expect(all.updated).toBe(1);
  });

  test('signed-out calls to every session endpoint (customer and admin) answer the documented 401', async ({
    anonymous,
    ids,
  }) => {
    const id = randomUuid();
    const calls: [Method, string, () => Promise<APIResponse>][] = [
      ['get', '/api/me/pickup-code', () => anonymous.get('/api/me/pickup-code')],
      ['post', '/api/me/pickup-code', () => anonymous.post('/api/me/pickup-code')],
      [
        'post',
        '/api/me/devices',
        () => anonymous.post('/api/me/devices', { data: { token: `fcm-${uid()}`, platform: 'web' } }),
      ],
      ['get', '/api/me/orders', () => anonymous.get('/api/me/orders')],
      ['get', '/api/me/notifications', () => anonymous.get('/api/me/notifications')],
      ['post', '/api/me/notifications/{notificationId}/read', () => anonymous.post(`/api/me/notifications/${id}/read`)],
      ['post', '/api/me/notifications/read-all', () => anonymous.post('/api/me/notifications/read-all')],
      ['get', '/api/me/orders/{orderId}', () => anonymous.get(`/api/me/orders/${id}`)],
      [
        'post',
        '/api/orders',
        () =>
          anonymous.post('/api/orders', {
            data: { good_id: ids.goods[SMALL_PACKAGE], parcel_automat_id: ids.automats[101] },
          }),
      ],
      ['post', '/api/orders/{orderId}/cancel', () => anonymous.post(`/api/orders/${id}/cancel`)],
      ['get', '/api/admin/fleet', () => anonymous.get('/api/admin/fleet')],
      ['get', '/api/admin/alerts', () => anonymous.get('/api/admin/alerts')],
      ['get', '/api/admin/drones/{droneId}', () => anonymous.get(`/api/admin/drones/${id}`)],
      ['get', '/api/admin/automats/{automatId}/cells', () => anonymous.get(`/api/admin/automats/${id}/cells`)],
    ];
    // Keep the list in step with the registry: every session operation is called.
    const documented = operations
      .filter((o) => o.auth === 'session')
      .map((o) => `${o.method} ${o.path}`)
      .sort();
    expect(calls.map(([m, p]) => `${m} ${p}`).sort()).toEqual(documented);
    for (const [method, specPath, call] of calls) {
      const body = await conforms<{ error: { code: string } }>(await call(), { method, specPath, status: 401 });
      expect(body.error.code).toBe('unauthorized');
    }
  });
});

// ---- device endpoints ------------------------------------------------------------------

// The devices' demo keys (db/seed.ts derives them from DEMO_DEVICE_KEY_SEED; the e2e server
// seeds them with SEED_DEMO_DEVICE_KEYS=true). A device that has no key yet gets its demo key
// exactly as the seed would give it; no key is ever rotated. Drone 192.168.1.107 (charging,
// 23 %) and ArUco 107 are used by no other test on this server; the drone is kept charging
// (never assignable) except for the moment of the end-to-end delivery below, and its state
// and the automat's are put back afterwards.
const DEMO_KEY_SEED = process.env.DEMO_DEVICE_KEY_SEED ?? 'skypost-dev-seed';
const KEYED_DRONE_IP = '192.168.1.107';
const KEYED_AUTOMAT_ARUCO = 107;
const AUTOMAT_107 = { lat: 55.7491, lon: 37.5395 };

type DroneRow = {
  id: string;
  status: string;
  battery_level: string | null;
  last_lat: number | null;
  last_lon: number | null;
  altitude_m: number | null;
  heading_deg: number | null;
  speed_mps: number | null;
  position_recorded_at: Date | null;
  last_seen_at: Date | null;
};
type AutomatRow = { id: string; is_working: boolean; last_seen_at: Date | null; staff_pin_hash: string | null };
type DeviceKeys = {
  drone: DroneRow & { key: string };
  automat: AutomatRow & { key: string };
  otherDroneId: string;
  otherAutomatId: string;
};

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function keyDevices(sql: Sql): Promise<DeviceKeys> {
  const droneKey = deriveDemoDeviceKey(DEMO_KEY_SEED, 'drone', KEYED_DRONE_IP);
  const automatKey = deriveDemoDeviceKey(DEMO_KEY_SEED, 'automat', String(KEYED_AUTOMAT_ARUCO));
  await sql`
    update drones set api_key_hash = ${hashDeviceKey(droneKey)}
    where ip_address = ${KEYED_DRONE_IP} and api_key_hash is null`;
  await sql`
    update parcel_automats set api_key_hash = ${hashDeviceKey(automatKey)}
    where aruco_id = ${KEYED_AUTOMAT_ARUCO} and api_key_hash is null`;
  const [drone] = await sql<DroneRow[]>`
    select id, status, battery_level, last_lat, last_lon, altitude_m, heading_deg, speed_mps, position_recorded_at,
      last_seen_at
    from drones where ip_address = ${KEYED_DRONE_IP} and api_key_hash = ${hashDeviceKey(droneKey)}`;
  const [automat] = await sql<AutomatRow[]>`
    select id, is_working, last_seen_at, staff_pin_hash from parcel_automats
    where aruco_id = ${KEYED_AUTOMAT_ARUCO} and api_key_hash = ${hashDeviceKey(automatKey)}`;
  if (!drone || !automat)
    throw new Error(
      `the demo key of drone ${KEYED_DRONE_IP} or automat ArUco ${KEYED_AUTOMAT_ARUCO} ` +
        'is not current (was it rotated?)',
    );
  const [other] = await sql<
    { id: string }[]
  >`select id from drones where ip_address <> ${KEYED_DRONE_IP} order by ip_address limit 1`;
  const [otherAutomat] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 101`;
  return {
    drone: { ...drone, key: droneKey },
    automat: { ...automat, key: automatKey },
    otherDroneId: other!.id,
    otherAutomatId: otherAutomat!.id,
  };
}

/** Puts the drone's and the automat's state back (the telemetry history stays). */
async function restoreDevices(sql: Sql, k: DeviceKeys) {
  const d = k.drone;
  await sql`
    update drones set status = ${d.status}, battery_level = ${d.battery_level},
      last_lat = ${d.last_lat}, last_lon = ${d.last_lon},
      altitude_m = ${d.altitude_m}, heading_deg = ${d.heading_deg}, speed_mps = ${d.speed_mps},
      position_recorded_at = ${d.position_recorded_at}, last_seen_at = ${d.last_seen_at}
    where id = ${d.id}
      and not exists (
        select 1 from deliveries where drone_id = ${d.id} and status in ('pending', 'assigned', 'in_progress')
      )`;
  const a = k.automat;
  await sql`
    update parcel_automats
    set is_working = ${a.is_working}, last_seen_at = ${a.last_seen_at}, staff_pin_hash = ${a.staff_pin_hash}
    where id = ${a.id}`;
}

/** Fills `{param}`s with a value. */
const fillPath = (specPath: string, value: string) => specPath.replace(/\{\w+\}/g, value);

test.describe('device endpoints match the registered schemas', () => {
  test.describe.configure({ mode: 'serial' });
  let keys: DeviceKeys | undefined;
  const k = () => {
    if (!keys) throw new Error('device keys were not set up');
    return keys;
  };

  test.beforeAll(async ({ sql }) => {
    keys = await keyDevices(sql);
  });
  test.afterAll(async ({ sql }) => {
    if (keys) await restoreDevices(sql, keys);
  });

  test('device operations: no or unknown key 401, another device or wrong kind 403; GET /api/devices/me 200', async ({
    request,
  }) => {
    const { drone, automat, otherDroneId, otherAutomatId } = k();
    const deviceOps = operations.filter((o) => o.auth === 'device');
    expect(deviceOps.length).toBeGreaterThanOrEqual(8);
    for (const { method, path: specPath } of deviceOps) {
      const url = fillPath(specPath, randomUuid());
      for (const headers of [
        {},
        bearer(`spd_${randomBytes(32).toString('base64url')}`),
        bearer(`spa_${randomBytes(32).toString('base64url')}`),
        { authorization: 'Basic dXNlcjpwYXNz' },
      ]) {
        const res =
          method === 'get' ? await request.get(url, { headers }) : await request.post(url, { headers, data: {} });
        await conforms(res, { method, specPath, status: 401 });
      }
    }

    const me = '/api/devices/me';
    expect(
      await conforms(await request.get(me, { headers: bearer(drone.key) }), {
        method: 'get',
        specPath: me,
        status: 200,
      }),
    ).toEqual({
      device: { kind: 'drone', id: drone.id },
    });
    expect(
      await conforms(await request.get(me, { headers: bearer(automat.key) }), {
        method: 'get',
        specPath: me,
        status: 200,
      }),
    ).toEqual({
      device: { kind: 'automat', id: automat.id },
    });

    // A valid key on another device's path, or on the other kind's endpoints.
    const reading = { lat: 55.75, lon: 37.6, battery_level: 50 };
    const t = '/api/drones/{droneId}/telemetry';
    await conforms(
      await request.post(`/api/drones/${otherDroneId}/telemetry`, { headers: bearer(drone.key), data: reading }),
      { method: 'post', specPath: t, status: 403 },
    );
    await conforms(
      await request.post(`/api/drones/${drone.id}/telemetry`, { headers: bearer(automat.key), data: reading }),
      { method: 'post', specPath: t, status: 403 },
    );
    await conforms(await request.get(`/api/drones/${otherDroneId}/task`, { headers: bearer(drone.key) }), {
      method: 'get',
      specPath: '/api/drones/{droneId}/task',
      status: 403,
    });
    await conforms(await request.get(`/api/automats/${otherAutomatId}/expected`, { headers: bearer(automat.key) }), {
      method: 'get',
      specPath: '/api/automats/{automatId}/expected',
      status: 403,
    });
    await conforms(
      await request.post(`/api/automats/${automat.id}/heartbeat`, {
        headers: bearer(drone.key),
        data: { is_working: true },
      }),
      { method: 'post', specPath: '/api/automats/{automatId}/heartbeat', status: 403 },
    );
    await conforms(
      await request.post(`/api/automats/${otherAutomatId}/scan`, {
        headers: bearer(automat.key),
        data: { qr: 'SP1.a.b' },
      }),
      { method: 'post', specPath: '/api/automats/{automatId}/scan', status: 403 },
    );
    await conforms(
      await request.post(`/api/automats/${otherAutomatId}/transfer`, {
        headers: bearer(automat.key),
        data: { delivery_id: randomUuid() },
      }),
      { method: 'post', specPath: '/api/automats/{automatId}/transfer', status: 403 },
    );
    await conforms(
      await request.post(`/api/deliveries/${randomUuid()}/events`, {
        headers: bearer(automat.key),
        data: { type: 'started' },
      }),
      { method: 'post', specPath: '/api/deliveries/{deliveryId}/events', status: 403 },
    );
  });

  test('drone: telemetry 202, 400, 413; task 204; events 400, 404', async ({ request }) => {
    const { drone } = k();
    const t = '/api/drones/{droneId}/telemetry';
    const url = `/api/drones/${drone.id}/telemetry`;
    const auth = bearer(drone.key);
    // Stay where it is, charging and low: never assignable.
    const here = { lat: drone.last_lat ?? 55.7262, lon: drone.last_lon ?? 37.6497 };
    const reading = { ...here, battery_level: 23, status: 'charging', altitude_m: 0, heading_deg: 0, speed_mps: 0 };
    expectValidRequest({ method: 'post', specPath: t, body: reading });
    expect(
      await conforms(await request.post(url, { headers: auth, data: reading }), {
        method: 'post',
        specPath: t,
        status: 202,
      }),
    ).toEqual({
      accepted: 1,
    });
    const batch = [
      { ...reading, recorded_at: new Date(Date.now() - 1000).toISOString() },
      { ...reading, recorded_at: new Date().toISOString() },
    ];
    expectValidRequest({ method: 'post', specPath: t, body: batch });
    expect(
      await conforms(await request.post(url, { headers: auth, data: batch }), {
        method: 'post',
        specPath: t,
        status: 202,
      }),
    ).toEqual({
      accepted: 2,
    });

    expectInvalidRequest('post', t, { ...reading, lat: 91 });
    const invalid = await conforms<{ error: { fields?: Record<string, string> } }>(
      await request.post(url, { headers: auth, data: { ...reading, lat: 91 } }),
      { method: 'post', specPath: t, status: 400 },
    );
    // As in the contract's example: `"fields": {"lat": "must be between -90 and 90"}`.
    expect(invalid.error.fields).toEqual({ lat: 'must be between -90 and 90' });
    await conforms(await request.post(url, { headers: auth, data: [] }), { method: 'post', specPath: t, status: 400 });
    await conforms(await postRaw(request, url, { body: '{"lat": ', headers: auth }), {
      method: 'post',
      specPath: t,
      status: 400,
    });
    await conforms(
      await postRaw(request, url, { body: JSON.stringify(Array.from({ length: 1200 }, () => reading)), headers: auth }),
      { method: 'post', specPath: t, status: 413 },
    );

    await conforms(await request.get(`/api/drones/${drone.id}/task`, { headers: auth }), {
      method: 'get',
      specPath: '/api/drones/{droneId}/task',
      status: 204,
    });

    const e = '/api/deliveries/{deliveryId}/events';
    await conforms(
      await request.post(`/api/deliveries/${randomUuid()}/events`, { headers: auth, data: { type: 'started' } }),
      { method: 'post', specPath: e, status: 404 },
    );
    await conforms(
      await request.post('/api/deliveries/not-a-uuid/events', { headers: auth, data: { type: 'started' } }),
      { method: 'post', specPath: e, status: 404 },
    );
    expectInvalidRequest('post', e, { type: 'failed' });
    await conforms(
      await request.post(`/api/deliveries/${randomUuid()}/events`, { headers: auth, data: { type: 'failed' } }),
      { method: 'post', specPath: e, status: 400 },
    );
    await conforms(
      await request.post(`/api/deliveries/${randomUuid()}/events`, { headers: auth, data: { type: 'landed' } }),
      { method: 'post', specPath: e, status: 400 },
    );
  });

  test('automat: heartbeat 200/400; expected 200; scan 400/403/410/404; staff 200/400/403; transfer 400/404', async ({
    request,
    newCustomer,
  }) => {
    const { automat } = k();
    const auth = bearer(automat.key);
    const base = `/api/automats/${automat.id}`;

    const h = '/api/automats/{automatId}/heartbeat';
    expectValidRequest({ method: 'post', specPath: h, body: { is_working: true } });
    expect(
      await conforms(await request.post(`${base}/heartbeat`, { headers: auth, data: { is_working: true } }), {
        method: 'post',
        specPath: h,
        status: 200,
      }),
    ).toEqual({});
    await conforms(await request.post(`${base}/heartbeat`, { headers: auth, data: { is_working: 'yes' } }), {
      method: 'post',
      specPath: h,
      status: 400,
    });

    await conforms(await request.get(`${base}/expected`, { headers: auth }), {
      method: 'get',
      specPath: '/api/automats/{automatId}/expected',
      status: 200,
    });

    const s = '/api/automats/{automatId}/scan';
    await conforms(await request.post(`${base}/scan`, { headers: auth, data: {} }), {
      method: 'post',
      specPath: s,
      status: 400,
    });
    await conforms(await request.post(`${base}/scan`, { headers: auth, data: { qr: 42 } }), {
      method: 'post',
      specPath: s,
      status: 400,
    });
    const forged = await conforms<{ error: { code: string } }>(
      await request.post(`${base}/scan`, { headers: auth, data: { qr: 'not-a-skypost-code' } }),
      { method: 'post', specPath: s, status: 403 },
    );
    expect(forged.error.code).toBe('invalid_qr');
    await conforms(await request.post(`${base}/scan`, { headers: auth, data: { pin: '12345' } }), {
      method: 'post',
      specPath: s,
      status: 400,
    });
    const wrongPin = await conforms<{ error: { code: string } }>(
      await request.post(`${base}/scan`, { headers: auth, data: { pin: '000000' } }),
      { method: 'post', specPath: s, status: 403 },
    );
    expect(wrongPin.error.code).toBe('invalid_pin');

    // The kiosk's staff PIN (additions): set at pairing, checked before staff mode opens.
    const sp = '/api/automats/{automatId}/staff-pin';
    const ss = '/api/automats/{automatId}/staff-session';
    expectValidRequest({ method: 'post', specPath: sp, body: { pin: '480317' } });
    expectInvalidRequest('post', sp, { pin: '4803' });
    await conforms(await request.post(`${base}/staff-pin`, { headers: auth, data: { pin: '123456' } }), {
      method: 'post',
      specPath: sp,
      status: 400,
    });
    expect(
      await conforms(await request.post(`${base}/staff-pin`, { headers: auth, data: { pin: '480317' } }), {
        method: 'post',
        specPath: sp,
        status: 200,
      }),
    ).toEqual({});
    const wrongStaff = await conforms<{ error: { code: string } }>(
      await request.post(`${base}/staff-session`, { headers: auth, data: { pin: '480318' } }),
      { method: 'post', specPath: ss, status: 403 },
    );
    expect(wrongStaff.error.code).toBe('invalid_pin');
    expect(
      await conforms(await request.post(`${base}/staff-session`, { headers: auth, data: { pin: '480317' } }), {
        method: 'post',
        specPath: ss,
        status: 200,
      }),
    ).toEqual({ idle_timeout_seconds: 60 });
    await conforms(await request.post(`${base}/staff-session`, { headers: auth, data: { pin: 480317 } }), {
      method: 'post',
      specPath: ss,
      status: 400,
    });
    const c = await newCustomer('openapi-scan');
    const old = await conforms<{ token: string }>(await c.request.get('/api/me/pickup-code'), {
      method: 'get',
      specPath: '/api/me/pickup-code',
      status: 200,
    });
    const current = await conforms<{ token: string }>(await c.request.post('/api/me/pickup-code'), {
      method: 'post',
      specPath: '/api/me/pickup-code',
      status: 200,
    });
    expectValidRequest({ method: 'post', specPath: s, body: { qr: old.token } });
    await conforms(await request.post(`${base}/scan`, { headers: auth, data: { qr: old.token } }), {
      method: 'post',
      specPath: s,
      status: 410,
    });
    await conforms(await request.post(`${base}/scan`, { headers: auth, data: { qr: current.token } }), {
      method: 'post',
      specPath: s,
      status: 404,
    });

    const tr = '/api/automats/{automatId}/transfer';
    await conforms(await request.post(`${base}/transfer`, { headers: auth, data: { delivery_id: 'nope' } }), {
      method: 'post',
      specPath: tr,
      status: 400,
    });
    await conforms(await request.post(`${base}/transfer`, { headers: auth, data: { delivery_id: randomUuid() } }), {
      method: 'post',
      specPath: tr,
      status: 404,
    });
  });

  test('delivery: task 200, events 200/409, expected 200, transfer 200/409, scan 200 then 404, order tracking', async ({
    request,
    newCustomer,
    createGood,
    sql,
  }) => {
    const { drone, automat } = k();
    const droneAuth = bearer(drone.key);
    const automatAuth = bearer(automat.key);
    const customer = await newCustomer('openapi-delivery');
    const good = await createGood({ quantity: 1 });
    const order = await placeOrder(customer, good.id, automat.id);

    // The drone reports in at the locker, charged and idle, and the worker's assignment step
    // runs at once (the e2e server runs no worker); then it goes back to being unassignable.
    const t = '/api/drones/{droneId}/telemetry';
    await conforms(
      await request.post(`/api/drones/${drone.id}/telemetry`, {
        headers: droneAuth,
        data: { ...AUTOMAT_107, battery_level: 99, status: 'idle', speed_mps: 0 },
      }),
      { method: 'post', specPath: t, status: 202 },
    );
    const db = createDb(sql);
    const assigned = await assignOrder(db, order.id, { minBattery: 30, offlineAfterMs: 60_000 });
    if (assigned.kind === 'assigned' && assigned.droneId !== drone.id) {
      await applyDroneEvent(db, {
        deliveryId: assigned.deliveryId,
        droneId: assigned.droneId,
        event: { type: 'failed', reason: 'e2e: wrong drone' },
      });
    }
    expect(assigned).toMatchObject({ kind: 'assigned', orderId: order.id, droneId: drone.id });
    if (assigned.kind !== 'assigned') throw new Error('not assigned');

    try {
      const d = '/api/me/orders/{orderId}';
      const detail = await conforms<{
        order: { status: string; tracking: { delivery_id: string; drone: { id: string } | null } | null };
      }>(await customer.request.get(`/api/me/orders/${order.id}`), { method: 'get', specPath: d, status: 200 });
      expect(detail.order.status).toBe('processing');
      expect(detail.order.tracking).toMatchObject({ delivery_id: assigned.deliveryId, drone: { id: drone.id } });

      const task = await conforms<{ delivery: { id: string; status: string } }>(
        await request.get(`/api/drones/${drone.id}/task`, { headers: droneAuth }),
        { method: 'get', specPath: '/api/drones/{droneId}/task', status: 200 },
      );
      expect(task.delivery).toMatchObject({ id: assigned.deliveryId, status: 'assigned' });

      const e = '/api/deliveries/{deliveryId}/events';
      const ev = (type: 'started' | 'dropped') =>
        request.post(`/api/deliveries/${assigned.deliveryId}/events`, { headers: droneAuth, data: { type } });
      expectValidRequest({ method: 'post', specPath: e, body: { type: 'started' } });
      expect(await conforms(await ev('started'), { method: 'post', specPath: e, status: 200 })).toEqual({
        delivery: { id: assigned.deliveryId, status: 'in_progress' },
      });
      expect(await conforms(await ev('started'), { method: 'post', specPath: e, status: 200 })).toEqual({
        delivery: { id: assigned.deliveryId, status: 'in_progress' },
      });
      const flying = await conforms<{ delivery: { status: string } }>(
        await request.get(`/api/drones/${drone.id}/task`, { headers: droneAuth }),
        { method: 'get', specPath: '/api/drones/{droneId}/task', status: 200 },
      );
      expect(flying.delivery.status).toBe('in_progress');
      expect(await conforms(await ev('dropped'), { method: 'post', specPath: e, status: 200 })).toEqual({
        delivery: { id: assigned.deliveryId, status: 'delivered' },
      });
      await conforms(await ev('started'), { method: 'post', specPath: e, status: 409 });
      await conforms(await request.get(`/api/drones/${drone.id}/task`, { headers: droneAuth }), {
        method: 'get',
        specPath: '/api/drones/{droneId}/task',
        status: 204,
      });
    } finally {
      // Unassignable again as soon as it has dropped (or if anything above failed).
      await request.post(`/api/drones/${drone.id}/telemetry`, {
        headers: droneAuth,
        data: { ...AUTOMAT_107, battery_level: 23, status: 'charging' },
      });
    }

    const base = `/api/automats/${automat.id}`;
    const expected = await conforms<{ deliveries: { id: string; status: string; drone_id: string | null }[] }>(
      await request.get(`${base}/expected`, { headers: automatAuth }),
      { method: 'get', specPath: '/api/automats/{automatId}/expected', status: 200 },
    );
    expect(expected.deliveries).toContainEqual(
      expect.objectContaining({ id: assigned.deliveryId, status: 'delivered', drone_id: drone.id }),
    );

    const tr = '/api/automats/{automatId}/transfer';
    expectValidRequest({ method: 'post', specPath: tr, body: { delivery_id: assigned.deliveryId } });
    const moved = await conforms<{ order_id: string; external_cell_number: number }>(
      await request.post(`${base}/transfer`, { headers: automatAuth, data: { delivery_id: assigned.deliveryId } }),
      { method: 'post', specPath: tr, status: 200 },
    );
    expect(moved.order_id).toBe(order.id);
    const again = await conforms<{ error: { code: string } }>(
      await request.post(`${base}/transfer`, { headers: automatAuth, data: { delivery_id: assigned.deliveryId } }),
      { method: 'post', specPath: tr, status: 409 },
    );
    expect(again.error.code).toBe('invalid_transition');

    const ready = await conforms<{ order: { status: string; cell_number: number | null } }>(
      await customer.request.get(`/api/me/orders/${order.id}`),
      { method: 'get', specPath: '/api/me/orders/{orderId}', status: 200 },
    );
    expect(ready.order).toMatchObject({ status: 'delivered', cell_number: moved.external_cell_number });

    const s = '/api/automats/{automatId}/scan';
    const code = await conforms<{ token: string }>(await customer.request.get('/api/me/pickup-code'), {
      method: 'get',
      specPath: '/api/me/pickup-code',
      status: 200,
    });
    const opened = await conforms<{ open: unknown[] }>(
      await request.post(`${base}/scan`, { headers: automatAuth, data: { qr: code.token } }),
      { method: 'post', specPath: s, status: 200 },
    );
    expect(opened.open).toEqual([{ cell_number: moved.external_cell_number, order_id: order.id }]);
    await conforms(await request.post(`${base}/scan`, { headers: automatAuth, data: { qr: code.token } }), {
      method: 'post',
      specPath: s,
      status: 404,
    });

    const list = await conforms<{ orders: OrderJson[] }>(await customer.request.get('/api/me/orders'), {
      method: 'get',
      specPath: '/api/me/orders',
      status: 200,
    });
    expect(list.orders[0]).toMatchObject({
      id: order.id,
      status: 'completed',
      cell_number: moved.external_cell_number,
    });
  });
});
