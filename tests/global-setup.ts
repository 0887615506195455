import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { portIsFree, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { createLogger } from '@/lib/logger';

// One embedded PostgreSQL 17 for the run; one migrated template database; every test file
// copies the template (CREATE DATABASE ... TEMPLATE), so files never share data.

export const TEMPLATE_DATABASE = 'skypost_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 200; p++) if (await portIsFree(p)) return p;
  throw new Error(`No free port for the test database between ${from} and ${from + 200}`);
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-test-'));
  const log = createLogger({ scope: 'test-postgres' });
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(55432),
    database: TEMPLATE_DATABASE,
    log,
    // Throwaway data: durability off for speed; room for many per-file pools.
    settings: { max_connections: 400, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  await runMigrations(pg.url);
  // Nobody may stay connected to a template while it is copied.
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  await admin`select pg_terminate_backend(pid) from pg_stat_activity
    where datname = ${TEMPLATE_DATABASE} and pid <> pg_backend_pid()`;
  await admin.end();
  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('pgTemplate', TEMPLATE_DATABASE);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
