import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drones } from '@/db/schema';
import { authenticateDevice, identifyDevice } from '@/lib/device-keys/auth';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { generateDeviceKey, hashDeviceKey } from '@/lib/device-keys/keys';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat } from './helpers/factories';

const run = promisify(execFile);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const req = (key?: string) =>
  new Request('http://test/api/x', { headers: key ? { authorization: `Bearer ${key}` } : {} });

async function makeDrone() {
  const [d] = await t.db
    .insert(drones)
    .values({ model: 'Clover 4', ipAddress: '10.0.0.9' })
    .returning({ id: drones.id });
  return d!.id;
}

describe('device keys', () => {
  it('are 256-bit secrets with a kind prefix; only the SHA-256 is stored', async () => {
    const id = await makeDrone();
    const key = await issueDeviceKey(t.db, 'drone', id);
    expect(key).toMatch(/^spd_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    const [row] = await t.sql`select api_key_hash from drones where id = ${id}`;
    expect(row?.api_key_hash).toBe(hashDeviceKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(4));
  });

  it('authenticate the right device; 401 without or with an unknown key; 403 on another device or kind', async () => {
    const a = await makeDrone();
    const b = await makeDrone();
    const automat = await makeAutomat(t.db);
    const keyA = await issueDeviceKey(t.db, 'drone', a);
    const automatKey = await issueDeviceKey(t.db, 'automat', automat.id);
    expect(await authenticateDevice(t.db, req(keyA), { kind: 'drone', pathId: a })).toEqual({ kind: 'drone', id: a });
    expect(await identifyDevice(t.db, req(automatKey))).toEqual({ kind: 'automat', id: automat.id });
    for (const bad of [undefined, generateDeviceKey('drone'), 'not a key at all', `${keyA}x`]) {
      const e = await rejection(authenticateDevice(t.db, req(bad), { kind: 'drone', pathId: a }));
      expect([e.status, e.code]).toEqual([401, 'unauthorized']);
    }
    const other = await rejection(authenticateDevice(t.db, req(keyA), { kind: 'drone', pathId: b }));
    expect([other.status, other.code]).toEqual([403, 'forbidden']);
    const kind = await rejection(authenticateDevice(t.db, req(automatKey), { kind: 'drone', pathId: a }));
    expect([kind.status, kind.code]).toEqual([403, 'forbidden']);
  });

  it('npm run device-key rotates a key: the new one works, the old one is revoked', async () => {
    const id = await makeDrone();
    const old = await issueDeviceKey(t.db, 'drone', id);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/device-key.ts', 'drone', id], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn' },
    });
    const fresh = /^(spd_\S+)$/m.exec(stdout)?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(await identifyDevice(t.db, req(fresh))).toEqual({ kind: 'drone', id });
    expect(await identifyDevice(t.db, req(old))).toBeNull();
  });

  it('the CLI refuses bad arguments and unknown devices with a clear message', async () => {
    const usage = await run(process.execPath, ['--import', 'tsx', 'scripts/device-key.ts', 'boat', 'x'], {
      env: { ...process.env, DATABASE_URL: t.url },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run device-key') });
    const missing = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/device-key.ts', 'automat', '00000000-0000-4000-8000-000000000000'],
      {
        env: { ...process.env, DATABASE_URL: t.url, LOG_FORMAT: 'pretty' },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('Parcel automat not found') });
  });
});
