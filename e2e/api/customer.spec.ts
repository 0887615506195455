import {
  ISO_RE,
  UUID_RE,
  expect,
  expectError,
  expectJson,
  expectTimeNear,
  expectValidation,
  goodStock,
  placeOrder,
  postRaw,
  randomIp,
  randomPhone,
  randomUuid,
  register,
  session,
  signInWithPassword,
  csrfToken,
  test,
  uid,
  uniqueEmail,
  type OrderJson,
  type RegisteredUser,
} from './helpers';

// HTTP contract of the customer side (docs/openapi.yaml, "Accounts" and
// "Customer endpoints") against the real production server on a seeded database.

const SMALL_PACKAGE = { name: 'Small Package', weight: 0.5, height: 10, length: 20, width: 15 };
const RED_SQUARE = { city: 'Moscow', address: 'Red Square, 1', lat: 55.7558, lon: 37.6173 };
const MINUTE = 60_000;

test.describe('POST /api/auth/register', () => {
  test('creates a client account (email lower-cased) that can sign in with the credentials flow', async ({
    request,
  }) => {
    const local = `E2E.Mixed.${uid()}`;
    const password = `pw-${uid()}-long`;
    const res = await request.post('/api/auth/register', {
      data: { full_name: 'Ada Lovelace', email: `${local}@Example.COM`, password },
      headers: { 'x-forwarded-for': randomIp() },
    });
    const body = await expectJson<{ user: RegisteredUser }>(res, 201);
    expect(body).toEqual({
      user: {
        id: expect.stringMatching(UUID_RE),
        full_name: 'Ada Lovelace',
        email: `${local.toLowerCase()}@example.com`,
        role: 'client',
      },
    });
    expect(JSON.stringify(body)).not.toMatch(/pass/i);

    // The same address in another case is the same account.
    const again = await request.post('/api/auth/register', {
      data: { full_name: 'Someone Else', email: `${local.toUpperCase()}@example.com`, password: 'another-password' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    const taken = await expectError(again, 409, 'email_taken');
    expect(taken.error.fields).toBeUndefined(); // fields only on validation errors

    // Sign in with the new account (in any case) and see the session.
    expect(await session(request)).toEqual({});
    const signIn = await signInWithPassword(request, `${local}@EXAMPLE.com`, password);
    expect(signIn.status()).toBe(302);
    expect(signIn.headers().location ?? '').not.toContain('error=');
    const s = await session(request);
    expect(s.user).toMatchObject({ id: body.user.id, email: body.user.email, role: 'client' });
  });

  test('a wrong password for the new account does not sign in', async ({ request }) => {
    const email = uniqueEmail('wrongpw');
    await register(request, { full_name: 'Wrong Password', email, password: 'right-password-1' });
    const res = await signInWithPassword(request, email, 'wrong-password-1');
    expect(res.status()).toBe(302);
    expect(res.headers().location).toContain('error=CredentialsSignin');
    expect(await session(request)).toEqual({});
  });

  test('rejects invalid input with 400 validation_failed and the offending fields, creating nothing', async ({
    request,
  }) => {
    const email = uniqueEmail('invalid');
    const cases: { data: Record<string, unknown>; fields: string[] }[] = [
      { data: { full_name: 'Short Password', email, password: 'short7!' }, fields: ['password'] },
      { data: { full_name: 'Bad Email', email: 'not-an-email', password: 'long-enough-1' }, fields: ['email'] },
      { data: { email, password: 'long-enough-1' }, fields: ['full_name'] },
      { data: { full_name: 'No Email', password: 'long-enough-1' }, fields: ['email'] },
      { data: { full_name: 'No Password', email }, fields: ['password'] },
      { data: { full_name: 42, email: 7, password: null }, fields: ['full_name', 'email', 'password'] },
      { data: {}, fields: ['full_name', 'email', 'password'] },
    ];
    for (const c of cases) {
      const body = await expectValidation(await request.post('/api/auth/register', { data: c.data }), c.fields);
      // Only the offending fields are reported.
      expect(Object.keys(body.error.fields ?? {}).sort(), JSON.stringify(c.data)).toEqual([...c.fields].sort());
    }
    // None of those created the account: the email is still free.
    await register(request, { full_name: 'Valid Now', email, password: 'long-enough-1' });
  });

  test('malformed JSON is a 400, an empty body a 400, a body over 8 KiB a 413', async ({ request }) => {
    await expectError(
      await postRaw(request, '/api/auth/register', { body: '{"full_name": "Broken", "email": ' }),
      400,
      'validation_failed',
    );
    await expectError(await postRaw(request, '/api/auth/register', { body: '' }), 400, 'validation_failed');
    await expectError(await postRaw(request, '/api/auth/register', { body: '[1, 2, 3]' }), 400, 'validation_failed');

    const email = uniqueEmail('big');
    const big = JSON.stringify({
      full_name: 'Big Body',
      email,
      password: 'long-enough-1',
      padding: 'x'.repeat(9 * 1024),
    });
    expect(Buffer.byteLength(big)).toBeGreaterThan(8 * 1024);
    await expectError(await postRaw(request, '/api/auth/register', { body: big }), 413, 'payload_too_large');
    // The oversized request did not create the account.
    await register(request, { full_name: 'Big Body', email, password: 'long-enough-1' });
  });
});

test.describe('POST /api/auth/phone/code', () => {
  // The limits themselves (per phone, per address, numbers written with spaces or brackets) are
  // unit tests with an injected clock (tests/accounts.test.ts); over HTTP, the contract test
  // (e2e/api/openapi.spec.ts) checks the 200, the 429 with Retry-After and the 400.
  test('rejects a number that is not E.164 and a malformed body with 400', async ({ request }) => {
    for (const phone_number of ['12345', '+0123456789', 'phone', '+7999123456789012345', 79991234567]) {
      const res = await request.post('/api/auth/phone/code', {
        data: { phone_number },
        headers: { 'x-forwarded-for': randomIp() },
      });
      await expectValidation(res, ['phone_number']);
    }
    await expectValidation(
      await request.post('/api/auth/phone/code', { data: {}, headers: { 'x-forwarded-for': randomIp() } }),
      ['phone_number'],
    );
    await expectError(
      await postRaw(request, '/api/auth/phone/code', {
        body: '{"phone_number":',
        headers: { 'x-forwarded-for': randomIp() },
      }),
      400,
      'validation_failed',
    );
  });

  test('a wrong code on callback/phone does not sign in', async ({ request }) => {
    const phone_number = randomPhone();
    await expectJson(
      await request.post('/api/auth/phone/code', {
        data: { phone_number },
        headers: { 'x-forwarded-for': randomIp() },
      }),
      200,
    );

    const token = await csrfToken(request);
    for (const code of ['000000', '12345', 'abcdef']) {
      const res = await request.post('/api/auth/callback/phone', {
        form: { phone_number, code, csrfToken: token },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(302);
      expect(res.headers().location).toContain('error=CredentialsSignin');
      expect(await session(request)).toEqual({});
    }
    // A phone that never asked for a code answers the same way.
    const res = await request.post('/api/auth/callback/phone', {
      form: { phone_number: randomPhone(), code: '123456', csrfToken: token },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(302);
    expect(res.headers().location).toContain('error=CredentialsSignin');
    expect(await session(request)).toEqual({});
  });
});

test.describe('customer endpoints when signed out', () => {
  test('every customer endpoint answers 401 unauthorized', async ({ anonymous, ids }) => {
    const id = randomUuid();
    const order = { good_id: ids.goods['Small Package'], parcel_automat_id: ids.automats[101] };
    const calls = [
      ['GET /api/me/orders', () => anonymous.get('/api/me/orders')],
      [`GET /api/me/orders/${id}`, () => anonymous.get(`/api/me/orders/${id}`)],
      ['GET /api/me/pickup-code', () => anonymous.get('/api/me/pickup-code')],
      ['POST /api/me/pickup-code', () => anonymous.post('/api/me/pickup-code')],
      [
        'POST /api/me/devices',
        () => anonymous.post('/api/me/devices', { data: { token: `fcm-${uid()}`, platform: 'android' } }),
      ],
      ['POST /api/orders', () => anonymous.post('/api/orders', { data: order })],
      [`POST /api/orders/${id}/cancel`, () => anonymous.post(`/api/orders/${id}/cancel`)],
    ] as const;
    for (const [label, call] of calls) {
      const body = await expectError(await call(), 401, 'unauthorized');
      expect(body.error.fields, label).toBeUndefined();
    }
  });

  test('a forged session cookie is still 401', async ({ anonymous }) => {
    const res = await anonymous.get('/api/me/orders', {
      headers: { cookie: `next-auth.session-token=${uid()}.${uid()}.${uid()}` },
    });
    await expectError(res, 401, 'unauthorized');
  });
});

test.describe('orders', () => {
  test('POST /api/orders creates a pending order; the list and the detail show it', async ({ newCustomer, ids }) => {
    const alice = await newCustomer('orders');
    const started = Date.now();
    const order = await placeOrder(alice, ids.goods['Small Package']!, ids.automats[101]!);
    expect(order).toMatchObject({
      id: expect.stringMatching(UUID_RE),
      status: 'pending',
      created_at: expect.stringMatching(ISO_RE),
      good: { id: ids.goods['Small Package'], ...SMALL_PACKAGE },
      automat: { id: ids.automats[101], ...RED_SQUARE },
      cell_number: null,
    });
    expectTimeNear(order.created_at, started, MINUTE);

    const list = await expectJson<{ orders: OrderJson[] }>(await alice.request.get('/api/me/orders'), 200);
    expect(list.orders).toHaveLength(1);
    expect(list.orders[0]).toEqual(order);

    // Newest first.
    const second = await placeOrder(alice, ids.goods['Phone Charger']!, ids.automats[102]!);
    expect(second.status).toBe('pending');
    const list2 = await expectJson<{ orders: OrderJson[] }>(await alice.request.get('/api/me/orders'), 200);
    expect(list2.orders.map((o) => o.id)).toEqual([second.id, order.id]);
    expect(list2.orders[0]).toEqual(second);

    const detail = await expectJson<{ order: OrderJson & { timeline: Record<string, unknown>[]; tracking: unknown } }>(
      await alice.request.get(`/api/me/orders/${order.id}`),
      200,
    );
    expect(detail.order).toMatchObject(order);
    expect(detail.order.tracking).toBeNull();
    expect(detail.order.timeline).toHaveLength(1);
    expect(detail.order.timeline[0]).toMatchObject({ event: 'created', to_status: 'pending' });
    expectTimeNear(detail.order.timeline[0]?.at, Date.parse(order.created_at), MINUTE);
  });

  test('POST /api/orders rejects bad input, unknown ids, closed or too-small lockers', async ({ newCustomer, ids }) => {
    const bob = await newCustomer('ordererr');
    const small = ids.goods['Small Package']!;
    const red = ids.automats[101]!;
    const post = (data: unknown) => bob.request.post('/api/orders', { data });

    await expectError(await post({ good_id: randomUuid(), parcel_automat_id: red }), 404, 'not_found');
    await expectError(await post({ good_id: small, parcel_automat_id: randomUuid() }), 404, 'not_found');
    await expectValidation(await post({ good_id: 'not-a-uuid', parcel_automat_id: red }), ['good_id']);
    await expectValidation(await post({ good_id: small, parcel_automat_id: 12 }), ['parcel_automat_id']);
    await expectValidation(await post({ good_id: small }), ['parcel_automat_id']);
    await expectValidation(await post({}), ['good_id', 'parcel_automat_id']);
    await expectError(await postRaw(bob.request, '/api/orders', { body: '{"good_id": ' }), 400, 'validation_failed');
    await expectError(await postRaw(bob.request, '/api/orders', { body: '' }), 400, 'validation_failed');

    // Paveletskaya (ArUco 106) is closed.
    await expectError(await post({ good_id: small, parcel_automat_id: ids.automats[106] }), 409, 'no_capacity');
    // The houseplant (40x25x25) fits none of Chistoprudny's (ArUco 105) small and medium cells.
    await expectError(
      await post({ good_id: ids.goods['Houseplant in Pot'], parcel_automat_id: ids.automats[105] }),
      409,
      'no_capacity',
    );

    // None of that created an order.
    const list = await expectJson<{ orders: OrderJson[] }>(await bob.request.get('/api/me/orders'), 200);
    expect(list).toEqual({ orders: [] });
  });

  test('stock: the last unit sells once, 409 out_of_stock after, and cancelling gives it back', async ({
    newCustomer,
    createGood,
    ids,
    sql,
  }) => {
    const carol = await newCustomer('stock');
    const good = await createGood({ quantity: 1 });
    const tverskaya = ids.automats[102]!;

    // Refusals change nothing: a closed locker leaves the unit in stock.
    await expectError(
      await carol.request.post('/api/orders', { data: { good_id: good.id, parcel_automat_id: ids.automats[106] } }),
      409,
      'no_capacity',
    );
    expect(await goodStock(sql, good.id)).toBe(1);

    const first = await placeOrder(carol, good.id, tverskaya);
    expect(first).toMatchObject({ status: 'pending', good: { id: good.id, name: good.name } });
    expect(await goodStock(sql, good.id)).toBe(0);

    await expectError(
      await carol.request.post('/api/orders', { data: { good_id: good.id, parcel_automat_id: tverskaya } }),
      409,
      'out_of_stock',
    );
    expect(await goodStock(sql, good.id)).toBe(0);

    const cancel = await carol.request.post(`/api/orders/${first.id}/cancel`);
    expect(await expectJson(cancel, 200)).toEqual({ order: { id: first.id, status: 'cancelled' } });
    expect(await goodStock(sql, good.id)).toBe(1);

    const again = await placeOrder(carol, good.id, tverskaya);
    expect(again.id).not.toBe(first.id);
    expect(again.status).toBe('pending');
    expect(await goodStock(sql, good.id)).toBe(0);
  });

  test('only the last unit: two customers ordering at once get one 201 and one out_of_stock', async ({
    newCustomer,
    createGood,
    ids,
    sql,
  }) => {
    const [a, b] = await Promise.all([newCustomer('race-a'), newCustomer('race-b')]);
    const good = await createGood({ quantity: 1 });
    const data = { good_id: good.id, parcel_automat_id: ids.automats[102] };
    const results = await Promise.all([
      a.request.post('/api/orders', { data }),
      b.request.post('/api/orders', { data }),
    ]);
    expect(results.map((r) => r.status()).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status() === 409)!;
    await expectError(loser, 409, 'out_of_stock');
    expect(await goodStock(sql, good.id)).toBe(0);
  });
});

test.describe('POST /api/orders/{id}/cancel', () => {
  test('cancels a pending order once; then 409 invalid_transition; unknown ids 404', async ({ newCustomer, ids }) => {
    const dave = await newCustomer('cancel');
    const order = await placeOrder(dave, ids.goods['Phone Charger']!, ids.automats[102]!);

    const res = await dave.request.post(`/api/orders/${order.id}/cancel`);
    expect(await expectJson(res, 200)).toEqual({ order: { id: order.id, status: 'cancelled' } });

    await expectError(await dave.request.post(`/api/orders/${order.id}/cancel`), 409, 'invalid_transition');
    await expectError(await dave.request.post(`/api/orders/${randomUuid()}/cancel`), 404, 'not_found');
    await expectError(await dave.request.post('/api/orders/not-a-uuid/cancel'), 404, 'not_found');

    const detail = await expectJson<{ order: OrderJson & { timeline: Record<string, unknown>[] } }>(
      await dave.request.get(`/api/me/orders/${order.id}`),
      200,
    );
    expect(detail.order.status).toBe('cancelled');
    expect(detail.order.cell_number).toBeNull();
    expect(detail.order.timeline.map((e) => [e.event, e.to_status])).toEqual([
      ['created', 'pending'],
      ['cancelled', 'cancelled'],
    ]);
    const list = await expectJson<{ orders: OrderJson[] }>(await dave.request.get('/api/me/orders'), 200);
    expect(list.orders.map((o) => [o.id, o.status])).toEqual([[order.id, 'cancelled']]);
  });

  test('GET /api/me/orders/{id} is 404 for unknown and malformed ids', async ({ newCustomer }) => {
    const erin = await newCustomer('detail404');
    await expectError(await erin.request.get(`/api/me/orders/${randomUuid()}`), 404, 'not_found');
    await expectError(await erin.request.get('/api/me/orders/not-a-uuid'), 404, 'not_found');
  });

  test("another customer's order is invisible: 404 to read, 404 to cancel, and it stays pending", async ({
    newCustomer,
    ids,
  }) => {
    const owner = await newCustomer('owner');
    const other = await newCustomer('other');
    const order = await placeOrder(owner, ids.goods['Small Package']!, ids.automats[102]!);

    await expectError(await other.request.get(`/api/me/orders/${order.id}`), 404, 'not_found');
    await expectError(await other.request.post(`/api/orders/${order.id}/cancel`), 404, 'not_found');
    expect(await expectJson(await other.request.get('/api/me/orders'), 200)).toEqual({ orders: [] });

    const detail = await expectJson<{ order: OrderJson }>(await owner.request.get(`/api/me/orders/${order.id}`), 200);
    expect(detail.order).toMatchObject({ id: order.id, status: 'pending' });
  });
});

test.describe('GET/POST /api/me/pickup-code', () => {
  type Code = { token: string; expires_at: string };

  test('GET returns a stable 24-hour code; POST issues a new one that GET then returns', async ({ newCustomer }) => {
    const fred = await newCustomer('pickup');
    const before = Date.now();
    const first = await expectJson<Code>(await fred.request.get('/api/me/pickup-code'), 200);
    expect(first).toEqual({ token: expect.any(String), expires_at: expect.stringMatching(ISO_RE) });
    expect(first.token.length).toBeGreaterThan(20);
    expectTimeNear(first.expires_at, before + 24 * 60 * MINUTE, MINUTE);

    const second = await expectJson<Code>(await fred.request.get('/api/me/pickup-code'), 200);
    expect(second).toEqual(first);

    const renewed = await expectJson<Code>(await fred.request.post('/api/me/pickup-code'), 200);
    expect(renewed.token).not.toBe(first.token);
    expectTimeNear(renewed.expires_at, Date.now() + 24 * 60 * MINUTE, MINUTE);
    expect(Date.parse(renewed.expires_at)).toBeGreaterThanOrEqual(Date.parse(first.expires_at));

    const after = await expectJson<Code>(await fred.request.get('/api/me/pickup-code'), 200);
    expect(after).toEqual(renewed);
  });

  test('two customers get different codes', async ({ newCustomer }) => {
    const [a, b] = await Promise.all([newCustomer('pickup-a'), newCustomer('pickup-b')]);
    const ca = await expectJson<Code>(await a.request.get('/api/me/pickup-code'), 200);
    const cb = await expectJson<Code>(await b.request.get('/api/me/pickup-code'), 200);
    expect(ca.token).not.toBe(cb.token);
  });
});

test.describe('POST /api/me/devices', () => {
  type Device = { device: { id: string; platform: string; updated_at: string } };

  test('registers an FCM token and upserts on the token', async ({ newCustomer }) => {
    const gina = await newCustomer('devices');
    const token = `fcm-${uid()}`;
    const started = Date.now();
    const first = await expectJson<Device>(
      await gina.request.post('/api/me/devices', { data: { token, platform: 'android' } }),
      200,
    );
    expect(first).toEqual({
      device: { id: expect.stringMatching(UUID_RE), platform: 'android', updated_at: expect.stringMatching(ISO_RE) },
    });
    expectTimeNear(first.device.updated_at, started, MINUTE);

    const second = await expectJson<Device>(
      await gina.request.post('/api/me/devices', { data: { token, platform: 'ios' } }),
      200,
    );
    expect(second.device).toMatchObject({ id: first.device.id, platform: 'ios' });
    expect(Date.parse(second.device.updated_at)).toBeGreaterThanOrEqual(Date.parse(first.device.updated_at));

    // Another token is another device; 'web' is a platform too.
    const web = await expectJson<Device>(
      await gina.request.post('/api/me/devices', { data: { token: `fcm-${uid()}`, platform: 'web' } }),
      200,
    );
    expect(web.device.platform).toBe('web');
    expect(web.device.id).not.toBe(first.device.id);
  });

  test('rejects an unknown platform, a missing token and malformed JSON with 400', async ({ newCustomer }) => {
    const hank = await newCustomer('devices-bad');
    await expectValidation(
      await hank.request.post('/api/me/devices', { data: { token: `fcm-${uid()}`, platform: 'windows' } }),
      ['platform'],
    );
    await expectValidation(await hank.request.post('/api/me/devices', { data: { platform: 'android' } }), ['token']);
    await expectValidation(
      await hank.request.post('/api/me/devices', { data: { token: '   ', platform: 'android' } }),
      ['token'],
    );
    await expectValidation(await hank.request.post('/api/me/devices', { data: { token: `fcm-${uid()}` } }), [
      'platform',
    ]);
    await expectError(
      await postRaw(hank.request, '/api/me/devices', { body: '{"token": "x", ' }),
      400,
      'validation_failed',
    );
  });
});
