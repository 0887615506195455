import { randomUUID } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { inject } from 'vitest';
import { createDb, createSql, type Db } from '@/db';

export type TestDatabase = { url: string; name: string; sql: Sql; db: Db; drop(): Promise<void> };

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`Refusing to create or drop test databases on non-local host ${host}`);
  }
}

/** A fresh, fully migrated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  assertLocal(adminUrl);
  const name = `test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        // 55006: the template is briefly busy while another file copies it.
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = createSql(url, 10);
  return {
    url,
    name,
    sql,
    db: createDb(sql),
    async drop() {
      await sql.end({ timeout: 5 });
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Runs fn and returns the PostgreSQL error it raised (SQLSTATE and constraint), or fails. */
export async function pgErrorOf(fn: () => Promise<unknown>): Promise<{ code: string; constraint: string | undefined }> {
  try {
    await fn();
  } catch (err) {
    const e = err as { code?: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } };
    const src = e.code ? e : (e.cause ?? {});
    return { code: String(src.code), constraint: src.constraint_name };
  }
  throw new Error('Expected the statement to be rejected by the database, but it succeeded');
}
