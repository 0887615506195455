import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { register, signInWithPassword, uid } from '../api/helpers';

// With the order worker and the fleet simulator running, an order placed by a customer is
// assigned, flown, dropped and moved to its pickup cell with nobody's help.

const dispatchPgPort = Number(process.env.E2E_DISPATCH_PG_PORT ?? Number(process.env.E2E_PG_PORT ?? 54339) + 1);
const dispatchDb = `postgres://postgres:postgres@127.0.0.1:${dispatchPgPort}/skypost_delivery`;

test('an order reaches its pickup cell with the simulator flying the fleet', async ({ request, baseURL }) => {
  test.setTimeout(120_000);
  let output = '';
  const simulator: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/simulate.ts', '--url', baseURL!, '--speedup', '20', '--failure-rate', '0'],
    {
      env: { ...process.env, LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  simulator.stdout?.on('data', (d) => (output += String(d)));
  simulator.stderr?.on('data', (d) => (output += String(d)));
  const sql = postgres(dispatchDb, { max: 1 });
  try {
    await expect.poll(() => output, { timeout: 30_000 }).toContain('Simulator started');
    const [good] = await sql<{ id: string }[]>`select id from goods where name = 'Phone Charger'`;
    const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 103`;

    const email = `e2e.fleet.${uid()}@example.com`;
    await register(request, { full_name: 'Fleet Customer', email, password: 'fleet-password-1' });
    await signInWithPassword(request, email, 'fleet-password-1');
    const created = await request.post('/api/orders', { data: { good_id: good!.id, parcel_automat_id: automat!.id } });
    expect(created.status()).toBe(201);
    const { order } = (await created.json()) as { order: { id: string } };

    const statuses = new Set<string>();
    await expect
      .poll(
        async () => {
          const res = await request.get(`/api/me/orders/${order.id}`);
          const body = (await res.json()) as { order: { status: string; cell_number: number | null } };
          statuses.add(body.order.status);
          return body.order.status;
        },
        { timeout: 90_000, intervals: [500] },
      )
      .toBe('delivered');
    expect(statuses).toContain('processing');
    const detail = (await (await request.get(`/api/me/orders/${order.id}`)).json()) as {
      order: { cell_number: number; timeline: { event: string }[] };
    };
    expect(detail.order.cell_number).toEqual(expect.any(Number));
    expect(detail.order.timeline.map((e) => e.event)).toEqual(
      expect.arrayContaining(['created', 'assigned', 'started', 'dropped', 'in_locker']),
    );
    const [telemetry] = await sql<{ n: number }[]>`
      select count(*)::int as n from drone_telemetry t join deliveries d on d.drone_id = t.drone_id
      where d.order_id = ${order.id}`;
    expect(telemetry!.n).toBeGreaterThan(5);
  } finally {
    simulator.kill('SIGTERM');
    await sql.end();
  }
});
