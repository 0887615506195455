import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, errorResponse } from '@/lib/errors';
import { apiRoute, CLIENT_IP_HEADER, clientIpFromHeaders, parseId, parseJson, resolveClientIp } from '@/lib/http';

// The shared request parser: every kind of bad input becomes the contract's 4xx body.

const readingSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  battery_level: z.number().min(0).max(100),
  status: z.enum(['idle', 'charging', 'maintenance']).optional(),
});

const handler = apiRoute(async ({ req }) => {
  const body = await parseJson(req, readingSchema, { maxBytes: 256 });
  return Response.json({ accepted: body }, { status: 202 });
});

const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  handler(new Request('http://test/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit), {
    params: Promise.resolve({}),
  });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  return body.error;
}

describe('parseJson through apiRoute', () => {
  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify({ lat: 55.75, lon: 37.61, battery_level: 80 }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: { lat: 55.75, lon: 37.61, battery_level: 80 } });
  });

  it('malformed JSON -> 400 validation_failed', async () => {
    const err = await expectError(await post('{"lat": 55.7,'), 400, 'validation_failed');
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.fields).toBeUndefined();
  });

  it('an empty body -> 400 validation_failed', async () => {
    await expectError(await post(''), 400, 'validation_failed');
  });

  it('wrong types -> 400 with a message per field', async () => {
    const err = await expectError(
      await post(JSON.stringify({ lat: '55.7', lon: null, battery_level: true })),
      400,
      'validation_failed',
    );
    expect(Object.keys(err.fields ?? {}).sort()).toEqual(['battery_level', 'lat', 'lon']);
  });

  it('out of range values -> 400 naming the fields', async () => {
    const err = await expectError(
      await post(JSON.stringify({ lat: 91, lon: -181, battery_level: 100.5 })),
      400,
      'validation_failed',
    );
    expect(err.fields).toEqual({
      lat: expect.stringMatching(/90/),
      lon: expect.stringMatching(/-180/),
      battery_level: expect.stringMatching(/100/),
    });
  });

  it('a missing required field and an unknown enum value -> 400', async () => {
    const err = await expectError(
      await post(JSON.stringify({ lat: 1, lon: 1, status: 'flying' })),
      400,
      'validation_failed',
    );
    expect(Object.keys(err.fields ?? {}).sort()).toEqual(['battery_level', 'status']);
  });

  it('a JSON value of the wrong shape (array, string, null) -> 400', async () => {
    for (const body of ['[1,2]', '"text"', 'null', '42']) {
      const err = await expectError(await post(body), 400, 'validation_failed');
      expect(err.fields).toBeDefined();
    }
  });

  it('a body over the limit (declared) -> 413 payload_too_large', async () => {
    const big = JSON.stringify({ lat: 1, lon: 1, battery_level: 1, pad: 'x'.repeat(1000) });
    await expectError(
      await post(big, { 'content-type': 'application/json', 'content-length': String(big.length) }),
      413,
      'payload_too_large',
    );
  });

  it('a body over the limit (streamed, no content-length) -> 413', async () => {
    const chunks = ['{"pad":"', 'x'.repeat(200), 'y'.repeat(200), '"}'];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(new TextEncoder().encode(ch));
        c.close();
      },
    });
    await expectError(await post(stream as unknown as BodyInit), 413, 'payload_too_large');
  });
});

describe('errors', () => {
  it('parseId turns a non-UUID path segment into 404 not_found', () => {
    expect(() => parseId('not-a-uuid', 'Drone')).toThrowError(
      expect.objectContaining({ code: 'not_found', status: 404 }),
    );
    expect(parseId('6f1c1c52-2c32-4b8e-9f0e-1c3f2b1e7a10', 'Drone')).toBe('6f1c1c52-2c32-4b8e-9f0e-1c3f2b1e7a10');
  });

  it('an AppError keeps its code, status, fields and headers', async () => {
    const res = errorResponse(new AppError('rate_limited', 'Slow down', { headers: { 'Retry-After': '30' } }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: 'Slow down' } });
  });

  it('an unexpected error is a generic 500 that leaks nothing', async () => {
    const res = errorResponse(new Error('secret stack detail at db.ts:12'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret|db\.ts/);
    expect(JSON.parse(text).error.code).toBe('internal_error');
  });

  it('a lost database connection is 503 with Retry-After, not 500', async () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const res = errorResponse(new Error('Failed query', { cause: err }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('a database CHECK violation that escaped validation is a 400, a unique violation a 409', async () => {
    const check = Object.assign(new Error('violates check'), { code: '23514', severity: 'ERROR' });
    const unique = Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' });
    expect(errorResponse(check).status).toBe(400);
    expect(errorResponse(unique).status).toBe(409);
  });
});

describe('client address', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(resolveClientIp('6.6.6.6', '10.0.0.7', 0)).toBe('10.0.0.7');
    expect(resolveClientIp(undefined, '::ffff:127.0.0.1', 0)).toBe('127.0.0.1');
    expect(resolveClientIp(undefined, undefined, 0)).toBe('unknown');
  });

  it('skips exactly the trusted hops from the right', () => {
    // client 1.1.1.1 -> proxy A (appends 1.1.1.1) -> proxy B (appends A's 2.2.2.2) -> us (socket = B)
    expect(resolveClientIp('1.1.1.1, 2.2.2.2', '3.3.3.3', 2)).toBe('1.1.1.1');
    // A forged entry left of the real chain is never chosen.
    expect(resolveClientIp('9.9.9.9, 1.1.1.1, 2.2.2.2', '3.3.3.3', 2)).toBe('1.1.1.1');
    expect(resolveClientIp('1.1.1.1', '3.3.3.3', 1)).toBe('1.1.1.1');
    // Fewer entries than trusted hops: the leftmost known address.
    expect(resolveClientIp(undefined, '3.3.3.3', 2)).toBe('3.3.3.3');
  });

  it('is read only from the header the web server sets', () => {
    expect(clientIpFromHeaders(new Headers({ [CLIENT_IP_HEADER]: '1.2.3.4', 'x-forwarded-for': '6.6.6.6' }))).toBe(
      '1.2.3.4',
    );
    expect(clientIpFromHeaders(new Headers({ 'x-forwarded-for': '6.6.6.6' }))).toBe('unknown');
  });
});
