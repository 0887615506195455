import { expect, test } from '@playwright/test';

test('GET /api/health reports the database as ok', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', db: 'ok' });
});

test('sign-in through the contract flow: csrf, then a form POST to callback/password', async ({ request }) => {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const bad = await request.post('/api/auth/callback/password', {
    form: { email: 'user@example.com', password: 'wrong-password', csrfToken },
    maxRedirects: 0,
  });
  expect(bad.status()).toBe(302);
  expect(bad.headers().location).toContain('error=CredentialsSignin');
  expect((await (await request.get('/api/auth/session')).json()) as object).toEqual({});

  const ok = await request.post('/api/auth/callback/password', {
    form: {
      email: 'user@example.com',
      password: process.env.SEED_CUSTOMER_PASSWORD ?? 'customer-skypost-1',
      csrfToken,
    },
    maxRedirects: 0,
  });
  expect(ok.status()).toBe(302);
  const session = (await (await request.get('/api/auth/session')).json()) as {
    user: { email: string; role: string; id: string };
  };
  expect(session.user).toMatchObject({ email: 'user@example.com', role: 'client' });
  expect(session.user.id).toMatch(/^[0-9a-f-]{36}$/);
});

test('an unknown API path answers 404, not a page crash', async ({ request }) => {
  const res = await request.get('/api/does-not-exist');
  expect(res.status()).toBe(404);
});
