import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { createLogger, redactConsoleErrors, type LogLevel } from '@/lib/logger';
import { createTestDatabase, type TestDatabase } from './helpers/db';

// Database errors reach the log with their SQLSTATE and SQL text, never the values bound to
// the query: real failing queries on a real PostgreSQL, logged through the real logger into
// a captured sink, in both output formats.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

function captured(format: 'json' | 'pretty') {
  const lines: { level: LogLevel; line: string }[] = [];
  const log = createLogger(
    { scope: 'test' },
    { level: 'debug', format, sink: (level, line) => lines.push({ level, line }) },
  );
  return { log, text: () => lines.map((l) => l.line).join(''), lines };
}

async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the query to fail');
}

describe('logging a failed database query', () => {
  it('unique violation: SQLSTATE, constraint, table and query are logged; the email and hash are not', async () => {
    const email = `secret.person.${Date.now()}@example.com`;
    const passHash = '$2b$10$s3cr3tHashValueThatMustNeverBeLogged000000000000000';
    await t.db.insert(users).values({ fullName: 'First', email, passHash });
    const err = await failure(() => t.db.insert(users).values({ fullName: 'Second', email, passHash }));
    // The raw error really does carry the values: this is what must not leak.
    expect(String((err as Error).message)).toContain(email);

    for (const format of ['json', 'pretty'] as const) {
      const c = captured(format);
      c.log.error('Unhandled error', { err });
      const out = c.text();
      expect(out).not.toContain(email);
      expect(out).not.toContain(passHash);
      expect(out).not.toContain('params:');
      expect(out).not.toContain('Failed query:');
      if (format === 'json') {
        const entry = JSON.parse(out) as { err: Record<string, unknown> };
        expect(entry.err).toMatchObject({
          name: 'PostgresError',
          sqlstate: '23505',
          constraint: 'users_email_key',
          table: 'users',
          message: 'duplicate key value violates unique constraint "users_email_key"',
        });
        expect(entry.err.query).toMatch(/^insert into "users" \(.*\) values \(.*\$1.*\)/);
        expect(Object.keys(entry.err)).not.toContain('detail');
      } else {
        expect(out).toContain('"sqlstate":"23505"');
        expect(out).toContain('insert into \\"users\\"');
      }
    }
  });

  it('a message that echoes a value (invalid uuid) is redacted', async () => {
    const token = 'pickup-token-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    const err = await failure(() => t.db.select({ id: users.id }).from(users).where(eq(users.id, token)));
    expect(String((err as { cause?: Error }).cause?.message)).toContain(token);
    const c = captured('json');
    c.log.warn('Input rejected by a database constraint', { err });
    const out = c.text();
    expect(out).not.toContain(token);
    const entry = JSON.parse(out) as { err: Record<string, unknown> };
    expect(entry.err.sqlstate).toBe('22P02');
    expect(entry.err.message).toBe('invalid input syntax for type uuid: "[redacted]"');
    expect(entry.err.query).toBe('select "id" from "users" where "users"."id" = $1');
  });

  it('a postgres.js error without Drizzle keeps its query and drops its parameters', async () => {
    const key = 'spd_device-key-that-must-stay-secret-0123456789';
    const err = await failure(() => t.sql`select ${key}::int as n`);
    expect((err as { parameters?: unknown[] }).parameters).toEqual([key]);
    const c = captured('json');
    c.log.error('Unhandled error', { err, nested: { errors: [err] } });
    const out = c.text();
    expect(out).not.toContain(key);
    const entry = JSON.parse(out) as { err: Record<string, unknown>; nested: { errors: Record<string, unknown>[] } };
    expect(entry.err).toMatchObject({ sqlstate: '22P02', query: 'select $1::int as n' });
    expect(entry.nested.errors[0]).toMatchObject({ sqlstate: '22P02' });
  });

  it('the error paths of lib/errors.ts log through the same serialiser', async () => {
    const email = `conflict.${Date.now()}@example.com`;
    await t.db.insert(users).values({ fullName: 'One', email });
    const err = await failure(() => t.db.insert(users).values({ fullName: 'Two', email }));
    const c = captured('json');
    const wrapped = new Error('Saving the order failed', { cause: err });
    c.log.error('Unhandled error', {
      err: wrapped,
      app: new AppError('validation_failed', 'Bad input', { fields: { email: 'Required' } }),
    });
    const out = c.text();
    expect(out).not.toContain(email);
    const entry = JSON.parse(out) as { err: Record<string, unknown>; app: Record<string, unknown> };
    expect(entry.err).toMatchObject({
      name: 'Error',
      message: 'Saving the order failed',
      cause: { sqlstate: '23505', constraint: 'users_email_key' },
    });
    expect(entry.app).toMatchObject({
      name: 'AppError',
      code: 'validation_failed',
      status: 400,
      message: 'Bad input',
      fields: { email: 'Required' },
    });
  });

  it('toAppError logs an unexpected database error to stderr without its parameters', async () => {
    const secret = 'sms-code-hmac-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    // A NOT NULL violation is a 400 and logged as a warning; its failing row holds the secret.
    const err = await failure(() =>
      t.db.insert(users).values({
        fullName: null as unknown as string,
        email: `x.${Date.now()}@example.com`,
        verificationCode: secret.slice(0, 10),
        passHash: secret,
      }),
    );
    vi.stubEnv('LOG_LEVEL', 'warn');
    vi.stubEnv('LOG_FORMAT', 'json');
    vi.resetModules();
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const { toAppError } = await import('@/lib/errors');
      const app = toAppError(err);
      expect(app.status).toBe(400);
      // And an error the mapping does not know: logged as "Unhandled error".
      const unknown = await failure(() => t.db.execute(sql`select * from missing_table where id = ${secret}`));
      expect((unknown as Error).message).toContain(`params: ${secret}`);
      const wrapped = new Error(`Loading failed: ${(unknown as Error).message}`, { cause: unknown });
      expect(toAppError(wrapped).status).toBe(500);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
      vi.resetModules();
    }
    const out = written.join('');
    expect(written).toHaveLength(2);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(secret.slice(0, 10));
    const [constraint, unhandled] = written.map((l) => JSON.parse(l) as { msg: string; err: Record<string, unknown> });
    expect(constraint).toMatchObject({
      msg: 'Input rejected by a database constraint',
      err: { sqlstate: '23502', table: 'users', column: 'full_name' },
    });
    expect(String(constraint!.err.query)).toMatch(/^insert into "users"/);
    expect(unhandled).toMatchObject({
      msg: 'Unhandled error',
      err: { cause: { sqlstate: '42P01', query: 'select * from missing_table where id = $1' } },
    });
    expect(unhandled!.err.message).toBe('Loading failed: Failed query: select * from missing_table where id = $1');
  });
});

describe('errors Next.js prints itself', () => {
  it('console.error of a failed query shows its SQLSTATE and query, not the bound values', async () => {
    const email = `printed.by.next.${Date.now()}@example.com`;
    await t.db.insert(users).values({ fullName: 'First', email, passHash: 'x' });
    const err = await failure(() => t.db.insert(users).values({ fullName: 'Second', email, passHash: 'x' }));
    const printed: unknown[][] = [];
    const target = {
      error: (...args: unknown[]) => printed.push(args),
      warn: (...args: unknown[]) => printed.push(args),
    };
    redactConsoleErrors(target);
    target.error('⨯', err, { digest: '123' });
    target.warn(new Error(`plain ${email.length}`));
    const out = printed
      .map((args) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
      .join('\n');
    expect(out).not.toContain(email);
    expect(out).not.toContain('params:');
    expect(out).toContain('"sqlstate":"23505"');
    expect(out).toContain('"query":"insert into');
    expect(printed[0]![0]).toBe('⨯');
    expect(printed[0]![2]).toEqual({ digest: '123' });
    expect(out).toContain(`plain ${email.length}`);
  });
});
