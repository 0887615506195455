import { randomInt, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { expect, test } from '@playwright/test';
import { databaseUrl } from '../api/helpers';
import { businessChecksum, changedTables } from './checksum';
import type { FuzzRequest } from './requests';
import { contractError, send } from './send';
import { enumerateActions, enumerateRoutes, type ServerAction } from './surface';
import { IDENTITIES, makeWorld, type Identity, type World } from './world';

// The authorization matrix: every route method and every server action (enumerated from
// the code), called as each of eight identities with a request that is valid in every
// other respect, so the only reason to refuse is who is asking. The expectations below
// were written against each handler's auth code (requireUser / requireAdmin /
// deviceRoute with its path check / ownership filters in the domain functions).
//
// In each row the refused identities go first, and the database checksum must not move
// while they do; then the allowed ones act (and may change data, e.g. a cancel).

type RouteCell = { allow: number[] } | { deny: number; code: string };
type ActionCell = 'ok' | 'reached' | 'signin' | 'admin' | 'not-found';

const allow = (...statuses: number[]): RouteCell => ({ allow: statuses });
const UNAUTHORIZED: RouteCell = { deny: 401, code: 'unauthorized' };
const FORBIDDEN: RouteCell = { deny: 403, code: 'forbidden' };
const NOT_FOUND: RouteCell = { deny: 404, code: 'not_found' };

const row = <C>(cells: Record<Identity, C>) => cells;
/** Signed-in people (customers and admins alike) may; devices and strangers may not. */
const sessionRow = (ok: RouteCell) =>
  row<RouteCell>({
    anonymous: UNAUTHORIZED,
    customerA: ok,
    customerB: ok,
    admin: ok,
    droneA: UNAUTHORIZED,
    droneB: UNAUTHORIZED,
    automatA: UNAUTHORIZED,
    automatB: UNAUTHORIZED,
  });
/** Customer A's own object: B and the admin's customer endpoints answer "not found" (ids reveal nothing). */
const ownedByA = (ok: RouteCell) => row<RouteCell>({ ...sessionRow(ok), customerB: NOT_FOUND, admin: NOT_FOUND });
const adminRow = (ok: RouteCell) => row<RouteCell>({ ...sessionRow(FORBIDDEN), admin: ok, anonymous: UNAUTHORIZED });
/** A device path naming drone A (or a delivery of drone A's): only drone A. */
const droneARow = (ok: RouteCell) =>
  row<RouteCell>({
    anonymous: UNAUTHORIZED,
    customerA: UNAUTHORIZED,
    customerB: UNAUTHORIZED,
    admin: UNAUTHORIZED,
    droneA: ok,
    droneB: FORBIDDEN,
    automatA: FORBIDDEN,
    automatB: FORBIDDEN,
  });
const automatARow = (ok: RouteCell) =>
  row<RouteCell>({
    anonymous: UNAUTHORIZED,
    customerA: UNAUTHORIZED,
    customerB: UNAUTHORIZED,
    admin: UNAUTHORIZED,
    droneA: FORBIDDEN,
    droneB: FORBIDDEN,
    automatA: ok,
    automatB: FORBIDDEN,
  });
const everyone = <C>(c: C) => Object.fromEntries(IDENTITIES.map((i) => [i, c])) as Record<Identity, C>;

type RouteCase = {
  cells: Record<Identity, RouteCell>;
  req: (w: World, who: Identity) => Omit<FuzzRequest, 'identity' | 'expect' | 'what'>;
};
const json = (method: string, path: string, body?: unknown): Omit<FuzzRequest, 'identity' | 'expect' | 'what'> => ({
  method,
  path,
  headers: body === undefined ? {} : { 'content-type': 'application/json' },
  data: body === undefined ? undefined : JSON.stringify(body),
});
const get = (path: string) => json('GET', path);

const ROUTE_MATRIX: Record<string, RouteCase> = {
  'GET /api/admin/alerts': { cells: adminRow(allow(200)), req: () => get('/api/admin/alerts') },
  'GET /api/admin/automats/[automatId]/cells': {
    cells: adminRow(allow(200)),
    req: (w) => get(`/api/admin/automats/${w.automats.A.id}/cells`),
  },
  'GET /api/admin/drones/[droneId]': {
    cells: adminRow(allow(200)),
    req: (w) => get(`/api/admin/drones/${w.drones.A.id}`),
  },
  'GET /api/admin/fleet': { cells: adminRow(allow(200)), req: () => get('/api/admin/fleet') },
  // next-auth's own endpoints are public: the session answers everyone (empty when signed out).
  'GET /api/auth/[...nextauth]': { cells: everyone(allow(200)), req: () => get('/api/auth/session') },
  // A sign-in without the CSRF token: next-auth redirects back to the sign-in page.
  'POST /api/auth/[...nextauth]': {
    cells: everyone(allow(302)),
    req: () => ({
      method: 'POST',
      path: '/api/auth/callback/password',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: 'email=nobody%40example.com&password=wrong-password',
    }),
  },
  // Public and rate limited: a 429 also means the caller was let through to the limiter.
  'POST /api/auth/phone/code': {
    cells: everyone(allow(200, 429)),
    req: () =>
      json('POST', '/api/auth/phone/code', {
        phone_number: `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`,
      }),
  },
  'POST /api/auth/register': {
    cells: everyone(allow(201, 429)),
    req: () =>
      json('POST', '/api/auth/register', {
        full_name: 'Matrix Person',
        email: `matrix.${randomUUID()}@example.com`,
        password: 'matrix-password-1',
      }),
  },
  'GET /api/automats/[automatId]/expected': {
    cells: automatARow(allow(200)),
    req: (w) => get(`/api/automats/${w.automats.A.id}/expected`),
  },
  'POST /api/automats/[automatId]/heartbeat': {
    cells: automatARow(allow(200)),
    req: (w) => json('POST', `/api/automats/${w.automats.A.id}/heartbeat`, { is_working: true }),
  },
  // C's genuine code at locker A, where C has a parcel waiting.
  'POST /api/automats/[automatId]/scan': {
    cells: automatARow(allow(200)),
    req: (w) => json('POST', `/api/automats/${w.automats.A.id}/scan`, { qr: w.qrC }),
  },
  'POST /api/automats/[automatId]/staff-pin': {
    cells: automatARow(allow(200)),
    req: (w) => json('POST', `/api/automats/${w.automats.A.id}/staff-pin`, { pin: '480317' }),
  },
  // 409 while locker A has no staff PIN (the staff-pin row may run later).
  'POST /api/automats/[automatId]/staff-session': {
    cells: automatARow(allow(200, 409)),
    req: (w) => json('POST', `/api/automats/${w.automats.A.id}/staff-session`, { pin: '480317' }),
  },
  'POST /api/automats/[automatId]/transfer': {
    cells: automatARow(allow(200)),
    req: (w) => json('POST', `/api/automats/${w.automats.A.id}/transfer`, { delivery_id: w.deliveries.droppedAtA }),
  },
  // Drone B's key on drone A's delivery: 403 from the assignment check, not the path.
  'POST /api/deliveries/[deliveryId]/events': {
    cells: droneARow(allow(200)),
    req: (w) => json('POST', `/api/deliveries/${w.deliveries.assignedA}/events`, { type: 'started' }),
  },
  'GET /api/devices/me': {
    cells: {
      ...everyone(UNAUTHORIZED),
      droneA: allow(200),
      droneB: allow(200),
      automatA: allow(200),
      automatB: allow(200),
    },
    req: () => get('/api/devices/me'),
  },
  'GET /api/drones/[droneId]/task': {
    cells: droneARow(allow(200)),
    req: (w) => get(`/api/drones/${w.drones.A.id}/task`),
  },
  'POST /api/drones/[droneId]/telemetry': {
    cells: droneARow(allow(202)),
    req: (w) => json('POST', `/api/drones/${w.drones.A.id}/telemetry`, { lat: -41.2, lon: 174.7, battery_level: 90 }),
  },
  'GET /api/health': { cells: everyone(allow(200)), req: () => get('/api/health') },
  'POST /api/me/devices': {
    cells: sessionRow(allow(200)),
    req: (_w, who) => json('POST', '/api/me/devices', { token: `matrix-${who}-${randomUUID()}`, platform: 'android' }),
  },
  'POST /api/me/notifications/[notificationId]/read': {
    cells: ownedByA(allow(200)),
    req: (w) => json('POST', `/api/me/notifications/${w.notifications.A}/read`),
  },
  'POST /api/me/notifications/read-all': {
    cells: sessionRow(allow(200)),
    req: () => json('POST', '/api/me/notifications/read-all'),
  },
  'GET /api/me/notifications': { cells: sessionRow(allow(200)), req: () => get('/api/me/notifications') },
  'GET /api/me/orders/[orderId]': {
    cells: ownedByA(allow(200)),
    req: (w) => get(`/api/me/orders/${w.orders.pendingA}`),
  },
  'GET /api/me/orders': { cells: sessionRow(allow(200)), req: () => get('/api/me/orders') },
  'GET /api/me/pickup-code': { cells: sessionRow(allow(200)), req: () => get('/api/me/pickup-code') },
  'POST /api/me/pickup-code': { cells: sessionRow(allow(200)), req: () => json('POST', '/api/me/pickup-code') },
  'POST /api/orders/[orderId]/cancel': {
    cells: ownedByA(allow(200)),
    req: (w) => json('POST', `/api/orders/${w.orders.pendingA}/cancel`),
  },
  'POST /api/orders': {
    cells: sessionRow(allow(201)),
    req: (w) => json('POST', '/api/orders', { good_id: w.goodId, parcel_automat_id: w.automats.A.id }),
  },
};

// Server actions: 'ok' = succeeds; 'reached' = passes the auth check and fails (or succeeds)
// in the domain with a harmless input, e.g. an unknown id; 'signin' / 'admin' = refused
// with "Sign in to continue." / "This needs an administrator account."; 'not-found' =
// another customer's object, answered as unknown.
const signedIn = (c: ActionCell) =>
  row<ActionCell>({
    anonymous: 'signin',
    customerA: c,
    customerB: c,
    admin: c,
    droneA: 'signin',
    droneB: 'signin',
    automatA: 'signin',
    automatB: 'signin',
  });
const adminOnly = row<ActionCell>({
  anonymous: 'signin',
  customerA: 'admin',
  customerB: 'admin',
  admin: 'reached',
  droneA: 'signin',
  droneB: 'signin',
  automatA: 'signin',
  automatB: 'signin',
});

type ActionCase = {
  cells: Record<Identity, ActionCell>;
  input: (w: World, who: Identity) => Record<string, unknown> | null;
  form?: boolean;
};
const rid = () => randomUUID();
const reason = 'matrix check';

const ACTION_MATRIX: Record<string, ActionCase> = {
  registerAction: {
    cells: everyone<ActionCell>('reached'),
    form: true,
    input: () => ({ full_name: 'Matrix Form', email: `matrix.${rid()}@example.com`, password: 'matrix-password-1' }),
  },
  // A wrong current password: passes the session check, fails in the domain, changes nothing.
  changePasswordAction: {
    cells: signedIn('reached'),
    form: true,
    input: () => ({ current_password: 'not-the-current-password', new_password: 'matrix-new-password-1' }),
  },
  // Revokes the caller's sessions, so it runs after every other action (see actionsInOrder).
  signOutEverywhereAction: { cells: signedIn('ok'), input: () => null },
  // The language switch: anyone may choose a language (signed in, the account keeps it).
  setLocaleAction: { cells: everyone<ActionCell>('ok'), input: () => ({ locale: 'en' }) },
  updateProfileAction: {
    cells: signedIn('ok'),
    form: true,
    input: (w, who) =>
      who === 'customerB'
        ? { full_name: w.users.B.fullName, email: w.users.B.email }
        : who === 'admin'
          ? { full_name: w.users.admin.fullName, email: w.users.admin.email }
          : { full_name: w.users.A.fullName, email: w.users.A.email },
  },
  createOrderAction: {
    cells: signedIn('ok'),
    input: (w) => ({ good_id: w.goodId, parcel_automat_id: w.automats.A.id }),
  },
  cancelOrderAction: {
    cells: { ...signedIn('not-found'), customerB: 'ok' },
    input: (w) => ({ order_id: w.orders.pendingB }),
  },
  newPickupCodeAction: { cells: signedIn('ok'), input: () => null },
  issueDroneKeyAction: { cells: adminOnly, input: () => ({ drone_id: rid() }) },
  setDroneMaintenanceAction: { cells: adminOnly, input: () => ({ drone_id: rid(), maintenance: true }) },
  cancelOrderAsAdminAction: { cells: adminOnly, form: true, input: () => ({ order_id: rid(), reason }) },
  createAutomatAction: {
    cells: adminOnly,
    form: true,
    input: () => ({
      city: 'Matrix',
      address: 'Matrix 1',
      lat: '-45',
      lon: '170',
      aruco_id: String(500_000 + randomInt(0, 190_000)),
      ip_address: '10.0.0.9',
      is_working: 'on',
    }),
  },
  updateAutomatAction: {
    cells: adminOnly,
    form: true,
    input: () => ({
      automat_id: rid(),
      city: 'Matrix',
      address: 'Matrix 1',
      lat: '1',
      lon: '2',
      aruco_id: '1',
      ip_address: '10.0.0.9',
    }),
  },
  deleteAutomatAction: { cells: adminOnly, form: true, input: () => ({ automat_id: rid(), confirm: 'yes' }) },
  issueAutomatKeyAction: { cells: adminOnly, input: () => ({ automat_id: rid() }) },
  createCellsAction: {
    cells: adminOnly,
    form: true,
    input: (w) => ({
      automat_id: w.automats.B.id,
      kind: 'external',
      count: '1',
      height: '10',
      length: '10',
      width: '10',
    }),
  },
  setCellMaintenanceAction: {
    cells: adminOnly,
    input: () => ({ cell_id: rid(), kind: 'external', maintenance: true }),
  },
  deleteCellAction: { cells: adminOnly, input: () => ({ cell_id: rid(), kind: 'internal' }) },
  createDroneAction: { cells: adminOnly, form: true, input: () => ({ model: 'Matrix drone', ip_address: '10.0.0.8' }) },
  updateDroneAction: {
    cells: adminOnly,
    form: true,
    input: () => ({ drone_id: rid(), model: 'Matrix drone', ip_address: '10.0.0.8' }),
  },
  deleteDroneAction: { cells: adminOnly, form: true, input: () => ({ drone_id: rid(), confirm: 'yes' }) },
  createGoodAction: {
    cells: adminOnly,
    form: true,
    input: () => ({ name: 'Matrix good', weight: '1', height: '1', length: '1', width: '1', quantity_available: '1' }),
  },
  updateGoodAction: {
    cells: adminOnly,
    form: true,
    input: () => ({ good_id: rid(), name: 'Matrix good', weight: '1', height: '1', length: '1', width: '1' }),
  },
  adjustStockAction: { cells: adminOnly, form: true, input: (w) => ({ good_id: w.goodId, delta: '1' }) },
  deleteGoodAction: { cells: adminOnly, form: true, input: () => ({ good_id: rid(), confirm: 'yes' }) },
  setGoodArchivedAction: { cells: adminOnly, form: true, input: () => ({ good_id: rid(), archived: 'true' }) },
  setAutomatArchivedAction: { cells: adminOnly, form: true, input: () => ({ automat_id: rid(), archived: 'true' }) },
  acknowledgeAlertAction: {
    cells: adminOnly,
    form: true,
    input: () => ({ kind: 'drone_offline', object_id: rid(), note: reason }),
  },
  retryDeliveryAction: { cells: adminOnly, form: true, input: () => ({ order_id: rid(), reason }) },
  forcePickupAction: { cells: adminOnly, form: true, input: () => ({ order_id: rid(), reason }) },
  changeUserRoleAction: { cells: adminOnly, form: true, input: () => ({ user_id: rid(), role: 'client' }) },
};

/** runAction's answer to input its schema rejects: the matrix's inputs are valid, so never this. */
const INVALID_INPUT = 'Please correct the highlighted fields.';
const REFUSAL = { signin: 'Sign in to continue.', admin: 'This needs an administrator account.' } as const;

function actionRequest({
  action,
  actionCase,
  world,
  who,
}: {
  action: ServerAction;
  actionCase: ActionCase;
  world: World;
  who: Identity;
}): Omit<FuzzRequest, 'identity' | 'expect' | 'what'> {
  const input = actionCase.input(world, who);
  const headers = { 'next-action': action.id, accept: 'text/x-component' };
  if (actionCase.form) {
    const multipart: Record<string, string> = { '0': '[null,"$K1"]' };
    for (const [k, v] of Object.entries(input ?? {})) multipart[`_1_${k}`] = String(v);
    return { method: 'POST', path: action.page, headers, multipart };
  }
  return {
    method: 'POST',
    path: action.page,
    headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' },
    data: JSON.stringify(input === null ? [] : [input]),
  };
}

const refused = (c: RouteCell | ActionCell) =>
  typeof c === 'string' ? c === 'signin' || c === 'admin' || c === 'not-found' : 'deny' in c;

test('authorization matrix: every route and action as eight identities', async ({ playwright, baseURL }) => {
  test.setTimeout(240_000);
  const routes = enumerateRoutes().map((r) => r.key);
  const actions = enumerateActions();
  expect(
    routes.filter((k) => !ROUTE_MATRIX[k]),
    'routes missing from the authorization matrix',
  ).toEqual([]);
  expect(
    actions.filter((a) => !ACTION_MATRIX[a.name]).map((a) => a.name),
    'server actions missing from the authorization matrix',
  ).toEqual([]);
  expect(
    Object.keys(ROUTE_MATRIX).filter((k) => !routes.includes(k)),
    'matrix rows for routes that are gone',
  ).toEqual([]);
  expect(
    Object.keys(ACTION_MATRIX).filter((n) => !actions.some((a) => a.name === n)),
    'matrix rows for actions that are gone',
  ).toEqual([]);

  const w = await makeWorld(playwright, baseURL!);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const failures: string[] = [];
  let cells = 0;
  const order = (cellsOf: Record<Identity, RouteCell | ActionCell>) => [
    ...IDENTITIES.filter((i) => refused(cellsOf[i])),
    ...IDENTITIES.filter((i) => !refused(cellsOf[i])),
  ];
  try {
    for (const key of routes) {
      const c = ROUTE_MATRIX[key]!;
      const before = await businessChecksum(sql);
      let checked = false;
      for (const who of order(c.cells)) {
        const cell = c.cells[who];
        // Refused identities have all gone: nothing may have changed.
        if (!refused(cell) && !checked) {
          checked = true;
          const changed = changedTables(before, await businessChecksum(sql));
          if (changed.length) failures.push(`${key}: refused callers changed ${changed.join(', ')}`);
        }
        cells++;
        const req = c.req(w, who);
        const o = await send(w.ctx[who], { ...req, identity: who, expect: 'non-5xx', what: 'matrix' });
        if ('error' in o) {
          failures.push(`${key} as ${who}: ${o.error}`);
          continue;
        }
        const got = `${o.status} ${o.text.slice(0, 160)}`;
        if ('allow' in cell) {
          if (!cell.allow.includes(o.status))
            failures.push(`${key} as ${who}: expected ${cell.allow.join('/')}, got ${got}`);
        } else if (
          o.status !== cell.deny ||
          contractError(o.contentType, o.text) ||
          (JSON.parse(o.text) as { error: { code: string } }).error.code !== cell.code
        ) {
          failures.push(`${key} as ${who}: expected ${cell.deny} ${cell.code}, got ${got}`);
        }
      }
      if (!checked) {
        const changed = changedTables(before, await businessChecksum(sql));
        if (changed.length) failures.push(`${key}: refused callers changed ${changed.join(', ')}`);
      }
    }

    // Signing out everywhere revokes the identities' sessions: nothing may run after it.
    const actionsInOrder = [
      ...actions.filter((a) => a.name !== 'signOutEverywhereAction'),
      ...actions.filter((a) => a.name === 'signOutEverywhereAction'),
    ];
    for (const action of actionsInOrder) {
      const c = ACTION_MATRIX[action.name]!;
      const before = await businessChecksum(sql);
      let checked = false;
      for (const who of order(c.cells)) {
        const cell = c.cells[who];
        if (!refused(cell) && !checked) {
          checked = true;
          const changed = changedTables(before, await businessChecksum(sql));
          if (changed.length) failures.push(`${action.name}: refused callers changed ${changed.join(', ')}`);
        }
        cells++;
        const o = await send(w.ctx[who], {
          ...actionRequest({ action, actionCase: c, world: w, who }),
          identity: who,
          expect: 'non-5xx',
          what: 'matrix',
        });
        if ('error' in o) {
          failures.push(`${action.name} as ${who}: ${o.error}`);
          continue;
        }
        const got = `${o.status} ${o.text.replace(/\s+/g, ' ').slice(0, 200)}`;
        const okResult = o.status === 200 && /"ok":true/.test(o.text);
        const redirected = o.status === 303 || Boolean(o.headers['x-action-redirect']);
        const failedWith = (message: string) =>
          o.status === 200 && /"ok":false/.test(o.text) && o.text.includes(message);
        const authRefusal = failedWith(REFUSAL.signin) || failedWith(REFUSAL.admin);
        const good = o.text.includes(INVALID_INPUT)
          ? false
          : cell === 'ok'
            ? okResult
            : cell === 'reached'
              ? o.status < 400 &&
                !authRefusal &&
                !o.text.includes(INVALID_INPUT) &&
                (okResult || redirected || /"ok":false/.test(o.text))
              : cell === 'not-found'
                ? failedWith('not found')
                : failedWith(REFUSAL[cell]);
        if (!good) failures.push(`${action.name} as ${who}: expected ${cell}, got ${got}`);
      }
      if (!checked) {
        const changed = changedTables(before, await businessChecksum(sql));
        if (changed.length) failures.push(`${action.name}: refused callers changed ${changed.join(', ')}`);
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
    await w.dispose();
  }
  console.log(
    `Authorization matrix: ${routes.length} route methods + ${actions.length} server actions = ` +
      `${routes.length + actions.length} rows x ${IDENTITIES.length} identities = ${cells} cells, ` +
      `${failures.length} failures${failures.length ? `\n  ${failures.join('\n  ')}` : ''}`,
  );
  expect(failures).toEqual([]);
});
