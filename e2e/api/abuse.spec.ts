import {
  csrfToken,
  expect,
  expectError,
  expectJson,
  randomIp,
  register,
  session,
  test,
  uid,
  uniqueEmail,
  type OrderJson,
} from './helpers';

// Abuse limits over HTTP against the real server: failed sign-ins (429 + Retry-After) and the
// open-order cap (409 too_many_orders). Each test uses its own accounts and client addresses.

test.describe('sign-in limits', () => {
  test('10 wrong passwords for one account (from 10 addresses), then 429 + Retry-After even for the right one', async ({
    playwright,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    const request = await playwright.request.newContext({ baseURL });
    const email = uniqueEmail('limited');
    const password = `pw-${uid()}-long`;
    await register(request, { full_name: 'Limited Person', email, password });
    const token = await csrfToken(request);
    const post = (pw: string) =>
      request.post('/api/auth/callback/password', {
        form: { email, password: pw, csrfToken: token },
        headers: { 'x-forwarded-for': randomIp() },
        maxRedirects: 0,
      });

    for (let i = 0; i < 10; i++) {
      const res = await post(`wrong-password-${i}`);
      expect(res.status()).toBe(302);
      expect(res.headers().location).toContain('error=CredentialsSignin');
    }
    const refused = await post(password);
    const body = await expectError(refused, 429, 'rate_limited');
    const retryAfter = Number(refused.headers()['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(body.error.message).toContain(`${retryAfter} s`);
    expect(await session(request)).toEqual({});
    await request.dispose();
  });

  test('another account from another address is not affected, and a success does not count', async ({
    playwright,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    const request = await playwright.request.newContext({ baseURL });
    const email = uniqueEmail('unaffected');
    const password = `pw-${uid()}-long`;
    await register(request, { full_name: 'Unaffected Person', email, password });
    const ip = randomIp();
    // More successes from one address than the failure limit per account allows.
    for (let i = 0; i < 11; i++) {
      const token = await csrfToken(request);
      const res = await request.post('/api/auth/callback/password', {
        form: { email, password, csrfToken: token },
        headers: { 'x-forwarded-for': ip },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(302);
      expect(res.headers().location ?? '').not.toContain('error=');
    }
    expect((await session(request)).user?.email).toBe(email);
    await request.dispose();
  });
});

test.describe('open orders per customer', () => {
  test('the 6th open order is 409 too_many_orders with the contract body; cancelling one frees a place', async ({
    newCustomer,
    ids,
    createGood,
  }) => {
    const customer = await newCustomer('cap');
    const good = await createGood({ quantity: 10 });
    const automats = [101, 102, 105, 101, 102, 105].map((a) => ids.automats[a]!);
    const placed: OrderJson[] = [];
    for (const automat of automats.slice(0, 5)) {
      const res = await customer.request.post('/api/orders', {
        data: { good_id: good.id, parcel_automat_id: automat },
      });
      placed.push((await expectJson<{ order: OrderJson }>(res, 201)).order);
    }
    const sixth = await customer.request.post('/api/orders', {
      data: { good_id: good.id, parcel_automat_id: automats[5] },
    });
    const body = await expectError(sixth, 409, 'too_many_orders');
    expect(body.error.fields).toBeUndefined();
    expect(body.error.message).toContain('5 open orders');

    await expectJson(await customer.request.post(`/api/orders/${placed[0]!.id}/cancel`), 200);
    await expectJson(
      await customer.request.post('/api/orders', { data: { good_id: good.id, parcel_automat_id: automats[5] } }),
      201,
    );
  });
});
