import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import postgres from 'postgres';
import { expect, test } from '@playwright/test';
import { databaseUrl } from '../api/helpers';
import { ACTIONS, ROUTES } from './catalog';
import { businessChecksum, changedTables } from './checksum';
import { actionRequests, routeRequests, type FuzzRequest } from './requests';
import { judge, pool, send, type Outcome } from './send';
import { enumerateActions, enumerateRoutes } from './surface';
import { makeWorld } from './world';

// Hostile input against the real production server: every route handler and every server
// action (enumerated from the code) gets FUZZ_RUNS bad requests, generated with fast-check
// from its zod schema, with and without valid credentials. Every answer must be a 4xx with
// the contract's error body (server actions: their { ok: false } result), never a 5xx and
// never a hang, and the business tables must be unchanged afterwards.
//
// `npm run test:fuzz` runs 200 per endpoint; inside `npm test` the default is 10.
// FUZZ_SEED replays a run (the seed is printed).

const RUNS = Math.max(8, Number(process.env.FUZZ_RUNS ?? 10));
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 4;

test('every route handler and server action in the code has a fuzz entry', () => {
  const routes = enumerateRoutes().map((r) => r.key);
  const actions = enumerateActions();
  expect(routes.length, 'route handlers found').toBeGreaterThanOrEqual(20);
  expect(actions.length, 'server actions found').toBeGreaterThanOrEqual(20);
  expect(new Set(actions.map((a) => a.name)).size, 'action names are unique').toBe(actions.length);
  expect(
    routes.filter((k) => !ROUTES[k]),
    'routes without a fuzz entry in e2e/fuzz/catalog.ts',
  ).toEqual([]);
  expect(
    Object.keys(ROUTES).filter((k) => !routes.includes(k)),
    'fuzz entries for routes that no longer exist',
  ).toEqual([]);
  expect(
    actions.filter((a) => !ACTIONS[a.name]).map((a) => `${a.name} (${a.file})`),
    'server actions without a fuzz entry',
  ).toEqual([]);
  expect(
    Object.keys(ACTIONS).filter((n) => !actions.some((a) => a.name === n)),
    'fuzz entries for actions that no longer exist',
  ).toEqual([]);
});

type Tally = { requests: number; statuses: Record<string, number>; fivexx: number; failures: string[] };

test('hostile input: no 5xx, no hang, the contract error body, and no data change', async ({ playwright, baseURL }) => {
  const routes = enumerateRoutes();
  const actions = enumerateActions();
  test.setTimeout(120_000 + (routes.length + actions.length) * RUNS * 250);
  const world = await makeWorld(playwright, baseURL!);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const tallies = new Map<string, Tally>();
  const later: { key: string; r: FuzzRequest; success: number[] }[] = [];
  try {
    // A's notifications are read before the baseline, so reading one again is no change.
    for (const who of ['customerA', 'customerB'] as const)
      expect((await world.ctx[who].post('/api/me/notifications/read-all')).status()).toBe(200);
    const before = await businessChecksum(sql);

    const plan: { key: string; r: FuzzRequest; success: number[] }[] = [];
    routes.forEach(({ key }, i) => {
      const entry = ROUTES[key]!;
      const { fixed, generated } = routeRequests(key, entry, world);
      const reqs = [...fixed, ...fc.sample(generated, { numRuns: RUNS - fixed.length, seed: SEED + i })];
      const success = [...entry.success, ...(key === 'GET /api/drones/[droneId]/task' ? [204] : [])];
      for (const r of reqs) (entry.writesWhenValid && r.expect === 'success' ? later : plan).push({ key, r, success });
    });
    actions.forEach((action, i) => {
      const entry = ACTIONS[action.name]!;
      const { fixed, generated } = actionRequests(action, entry, world);
      const reqs = [...fixed, ...fc.sample(generated, { numRuns: RUNS - fixed.length, seed: SEED + 1000 + i })];
      for (const r of reqs)
        (entry.writesWhenValid && r.expect === 'action-any' ? later : plan).push({ key: action.key, r, success: [] });
    });

    const run = async ({ key, r, success }: { key: string; r: FuzzRequest; success: number[] }) => {
      const o: Outcome = await send(world.ctx[r.identity], r);
      const t = tallies.get(key) ?? { requests: 0, statuses: {}, fivexx: 0, failures: [] };
      tallies.set(key, t);
      t.requests++;
      const status = 'error' in o ? 'error' : String(o.status);
      t.statuses[status] = (t.statuses[status] ?? 0) + 1;
      if ('status' in o && o.status >= 500) t.fivexx++;
      const why = judge(r, o, success);
      if (why) {
        const sent = r.multipart ? JSON.stringify(r.multipart) : typeof r.data === 'string' ? r.data : '';
        t.failures.push(
          `${why} | ${r.method} ${r.path.slice(0, 160)} as ${r.identity} [${r.what}] ` +
            `body=${JSON.stringify(sent.slice(0, 200))} -> ${'text' in o ? o.text.slice(0, 200) : ''}`,
        );
      }
    };
    await pool(plan, CONCURRENCY, run);
    const after = await businessChecksum(sql);
    // Valid by design (no input to get wrong): run after the checksum, still never a 5xx.
    await pool(later, CONCURRENCY, run);

    const rows = [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce((n, [, t]) => n + t.requests, 0);
    const fivexx = rows.reduce((n, [, t]) => n + t.fivexx, 0);
    const failures = rows.flatMap(([k, t]) => t.failures.map((f) => `${k}: ${f}`));
    const lines = rows.map(
      ([k, t]) => `  ${String(t.requests).padStart(5)}  5xx=${t.fivexx}  ${k}  ${JSON.stringify(t.statuses)}`,
    );
    console.log(
      [
        `Fuzz (seed ${SEED}, ${RUNS} per endpoint): ${routes.length} route methods, ${actions.length} server actions`,
        ...lines,
        `Total ${total} requests, 5xx: ${fivexx}, failures: ${failures.length}, ` +
          `business tables ${changedTables(before, after).length ? 'CHANGED' : 'unchanged'}`,
      ].join('\n'),
    );
    const out = path.join(process.cwd(), '.test-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'fuzz-summary.json'),
      JSON.stringify(
        {
          seed: SEED,
          runs: RUNS,
          routes: routes.length,
          actions: actions.length,
          total,
          fivexx,
          perEndpoint: Object.fromEntries(
            rows.map(([k, t]) => [k, { requests: t.requests, fivexx: t.fivexx, statuses: t.statuses }]),
          ),
          changed: changedTables(before, after),
          failures,
        },
        null,
        2,
      ),
    );

    for (const [k, t] of rows) expect(t.requests, `${k} got too few requests`).toBeGreaterThanOrEqual(RUNS);
    expect(failures.slice(0, 40), `${failures.length} wrong answers (seed ${SEED})`).toEqual([]);
    expect(changedTables(before, after), 'business tables changed by bad requests').toEqual([]);
  } finally {
    await sql.end({ timeout: 5 });
    await world.dispose();
  }
});
