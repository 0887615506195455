import { describe, expect, it } from 'vitest';
import { nextAuthInputProblem } from '@/lib/auth/next-auth-input';
import { screenRequest } from '@/lib/request-gate';

// Regression cases from the hostile-input suite (e2e/fuzz): requests that Next.js or
// next-auth answered with a 500 before our code ran.

const action = (body: BodyInit | null, type = 'text/plain;charset=UTF-8', extra: Record<string, string> = {}) =>
  new Request('http://localhost/admin', {
    method: 'POST',
    headers: { 'next-action': 'abc', 'content-type': type, ...extra },
    body,
  });

async function refusal(res: Response | null) {
  expect(res).not.toBeNull();
  const body = (await res!.json()) as { error: { code: string; message: string } };
  return { status: res!.status, code: body.error.code };
}

function multipart(fields: Record<string, string>): { body: string; type: string } {
  const b = 'fuzzboundary';
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return { body: `${parts.join('')}--${b}--\r\n`, type: `multipart/form-data; boundary=${b}` };
}

describe('screenRequest', () => {
  it('refuses a malformed percent-escape in the path with 400 (Next.js threw decoding the param)', async () => {
    for (const p of ['/api/me/orders/%zz', '/api/auth/signin/%E0%A4%A', '/admin/drones/%']) {
      expect(await refusal(await screenRequest(new Request(`http://localhost${p}`)))).toEqual({
        status: 400,
        code: 'validation_failed',
      });
    }
    expect(await screenRequest(new Request('http://localhost/api/me/orders/%F0%9F%92%A9'))).toBeNull();
  });

  it('passes what React sends: a JSON argument list; multipart with the list in "0", FormData in "_1_"', async () => {
    expect(
      await screenRequest(action('[{"drone_id":"x","maintenance":true,"n":"$undefined","s":"$$dollar"}]')),
    ).toBeNull();
    const form = multipart({ '0': '[null,"$K1"]', _1_full_name: 'Ann', _1_email: 'a@example.com' });
    expect(await screenRequest(action(form.body, form.type))).toBeNull();
    expect(await screenRequest(new Request('http://localhost/admin', { method: 'POST', body: 'x' }))).toBeNull();
  });

  it('refuses payloads the reply decoder throws on with 400, and bodies over 1 MB with 413', async () => {
    for (const body of [
      '',
      'not json',
      '"x"',
      '{}',
      '1',
      '["$@1"]',
      '["$Q1"]',
      '["$h1"]',
      '["$n1e400"]',
      '["$K1"]',
      '['.repeat(100_000) + ']'.repeat(100_000),
    ]) {
      expect(await refusal(await screenRequest(action(body))), body.slice(0, 20)).toEqual({
        status: 400,
        code: 'validation_failed',
      });
    }
    const noRoot = multipart({ _1_email: 'a@example.com' });
    expect(await refusal(await screenRequest(action(noRoot.body, noRoot.type)))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(await refusal(await screenRequest(action('--x\r\nbroken', 'multipart/form-data; boundary=x')))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(await refusal(await screenRequest(action(`["${'x'.repeat(1024 * 1024 + 10)}"]`)))).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
  });
});

describe('nextAuthInputProblem', () => {
  it('names what next-auth would answer with a 500', async () => {
    expect(await nextAuthInputProblem(new Request('http://localhost/api/auth/callback/password'))).toMatch(/POST/);
    expect(await nextAuthInputProblem(new Request('http://localhost/api/auth/signin?callbackUrl=%EF%BF%BD'))).toMatch(
      /callbackUrl/,
    );
    // Found by the full-count fuzz run: the code went into the Location header raw.
    expect(await nextAuthInputProblem(new Request('http://localhost/api/auth/error?error=%EF%BF%BD'))).toMatch(
      /error code/,
    );
    expect(await nextAuthInputProblem(new Request('http://localhost/api/auth/error?error=a%0Db'))).toMatch(
      /error code/,
    );
    expect(
      await nextAuthInputProblem(new Request('http://localhost/api/auth/error?error=CredentialsSignin')),
    ).toBeNull();
    expect(await nextAuthInputProblem(new Request('http://localhost/api/auth/error'))).toBeNull();
    const json = (body: string) =>
      new Request('http://localhost/api/auth/callback/password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect(await nextAuthInputProblem(json('{'))).toMatch(/JSON/);
    expect(await nextAuthInputProblem(json('{"callbackUrl":"javascript:alert(1)"}'))).toMatch(/callbackUrl/);
    expect(
      await nextAuthInputProblem(
        new Request('http://localhost/api/auth/session', { headers: { cookie: 'next-auth.callback-url=%zz%' } }),
      ),
    ).toMatch(/callbackUrl/);
  });

  it('passes the requests next-auth handles', async () => {
    expect(await nextAuthInputProblem(new Request('http://localhost/api/auth/session'))).toBeNull();
    expect(
      await nextAuthInputProblem(new Request('http://localhost/api/auth/signin?callbackUrl=%2Forders')),
    ).toBeNull();
    const form = new Request('http://localhost/api/auth/callback/password', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.c&password=x&callbackUrl=http%3A%2F%2Flocalhost%2F',
    });
    expect(await nextAuthInputProblem(form)).toBeNull();
  });
});
