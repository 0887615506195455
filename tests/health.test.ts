import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { portIsFree } from '@/db/embedded';
import { createTestDatabase, type TestDatabase } from './helpers/db';

// GET /api/health through the real route module, with DATABASE_URL pointing at a live
// database and at one that is down.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function callHealth(databaseUrl: string) {
  vi.resetModules();
  vi.stubEnv('DATABASE_URL', databaseUrl);
  (globalThis as { skypostPool?: unknown }).skypostPool = undefined;
  const { GET } = await import('@/app/api/health/route');
  const res = await GET(new Request('http://test/api/health'), { params: Promise.resolve({}) });
  const pool = (globalThis as { skypostPool?: { sql: { end(o: object): Promise<void> } } }).skypostPool;
  await pool?.sql.end({ timeout: 1 });
  vi.unstubAllEnvs();
  return res;
}

describe('GET /api/health', () => {
  it('is 200 {"status":"ok","db":"ok"} with a reachable database', async () => {
    const res = await callHealth(t.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('is 503 when the database is down', async () => {
    let port = 59_000;
    while (!(await portIsFree(port))) port++;
    const res = await callHealth(`postgres://postgres:postgres@127.0.0.1:${port}/nothing`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'unavailable' });
  });
});
