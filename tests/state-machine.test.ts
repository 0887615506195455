import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_STATUSES, DELIVERY_STATUSES, DRONE_STATUSES, ORDER_STATUSES, drones, orders } from '@/db/schema';
import {
  assertTransition,
  canTransition,
  MACHINES,
  SQL_STATUS_WRITERS,
  sourcesOf,
  type MachineName,
} from '@/lib/lifecycle/machine';
import { moveCell, moveDrone, moveOrder } from '@/lib/lifecycle/writes';
import { createOrder } from '@/lib/orders/order-flow';
import { recordEvent } from '@/lib/orders/events';
import { GENERATED_DOCS, readBlock } from '@/scripts/lib/generated-docs';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

const ROOT = path.resolve(import.meta.dirname, '..');
const WRITERS_FILE = 'lib/lifecycle/writes.ts';
const STATUS_TABLES = ['orders', 'deliveries', 'drones', 'locker_cells_out', 'locker_cells_internal'];

/**
 * Every status write in the product's TypeScript: a Drizzle `.set({ status })` (an object with a
 * `status` key passed to `set`), or SQL text that updates a status column (`update <table> ...
 * set ... status =`). Files are git's list, so a new file is scanned as soon as it is added.
 */
function statusWritesInCode(): string[] {
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', 'app', 'components', 'lib', 'db', 'worker', 'scripts'],
    { cwd: ROOT, encoding: 'utf8' },
  )
    .split('\n')
    .filter((f) => /\.(ts|tsx)$/.test(f));
  const hits: string[] = [];
  const sqlUpdate = new RegExp(
    `update\\s+"?(${STATUS_TABLES.join('|')})"?[\\s\\S]{0,300}?\\bset\\b[^;]*?\\bstatus"?\\s*=`,
    'i',
  );
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const at = (n: ts.Node) => `${file}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node) => {
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        n.expression.name.text === 'set' &&
        n.arguments[0] &&
        ts.isObjectLiteralExpression(n.arguments[0]) &&
        n.arguments[0].properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'status')
      )
        hits.push(`${at(n)} .set({ status })`);
      if ((ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) && sqlUpdate.test(n.getText()))
        hits.push(`${at(n)} update ... set status`);
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return hits;
}

/** The current definition of each SQL function in the migrations: the last CREATE [OR REPLACE] FUNCTION wins. */
function sqlFunctions(): Map<string, string> {
  const dir = path.join(ROOT, 'drizzle');
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const fns = new Map<string, string>();
  for (const { tag } of journal.entries) {
    const text = readFileSync(path.join(dir, `${tag}.sql`), 'utf8');
    const re = /create\s+(?:or\s+replace\s+)?function\s+(?:public\.)?"?(\w+)"?\s*\(([\s\S]*?)\$\$([\s\S]*?)\$\$/gi;
    for (const m of text.matchAll(re)) fns.set(m[1]!.toLowerCase(), m[3]!);
  }
  return fns;
}

/** The statuses a SQL function's UPDATE statements set: per table, the literal target (or `*` for a computed one). */
function sqlStatusUpdates(body: string): { table: string; to: string; from: string | null }[] {
  const out: { table: string; to: string; from: string | null }[] = [];
  const re = new RegExp(`update\\s+(${STATUS_TABLES.join('|')})\\b([\\s\\S]*?);`, 'gi');
  for (const m of body.matchAll(re)) {
    const stmt = m[2]!;
    const set = /\bset\b([\s\S]*?)(?:\bfrom\b|\bwhere\b|$)/i.exec(stmt)?.[1] ?? '';
    const target = /(?:^|,|\s)status\s*=\s*('(\w+)'|\w+)/i.exec(set);
    if (!target) continue;
    const where = /\bwhere\b([\s\S]*)$/i.exec(stmt)?.[1] ?? '';
    const from = /\bstatus\s*=\s*'(\w+)'/i.exec(where)?.[1] ?? null;
    out.push({ table: m[1]!.toLowerCase(), to: target[2] ?? '*', from });
  }
  return out;
}

describe('state machine: one home for status writes', () => {
  it('no code outside lib/lifecycle/writes.ts writes a status column', () => {
    const outside = statusWritesInCode().filter((h) => !h.startsWith(`${WRITERS_FILE}:`));
    expect(outside).toEqual([]);
  });

  it('the scan finds the writers themselves (so an empty list above means something)', () => {
    const inWriters = statusWritesInCode().filter((h) => h.startsWith(`${WRITERS_FILE}:`));
    // moveOrders, moveDelivery, moveDrone, moveCell.
    expect(inWriters).toHaveLength(4);
  });

  it('the SQL functions that write statuses are listed, with edges that match their UPDATEs', () => {
    const fns = sqlFunctions();
    const writing = [...fns].filter(([, body]) => sqlStatusUpdates(body).length > 0).map(([name]) => name);
    expect(writing.sort()).toEqual(SQL_STATUS_WRITERS.map((w) => w.fn).sort());
    for (const writer of SQL_STATUS_WRITERS) {
      for (const update of sqlStatusUpdates(fns.get(writer.fn)!)) {
        const listed = writer.writes.filter((w) => w.table === update.table);
        expect(listed.length, `${writer.fn} updates ${update.table}`).toBeGreaterThan(0);
        // A literal target with a literal WHERE status is one exact edge; a computed one (telemetry)
        // is covered by its listed edges, each checked against the machine below.
        if (update.to !== '*')
          expect(listed.some((w) => w.to === update.to && (update.from === null || w.from === update.from))).toBe(true);
      }
      for (const w of writer.writes)
        expect(canTransition(w.machine as MachineName, w.from as never, w.to as never)).toBe(true);
    }
  });
});

describe('state machine: the tables', () => {
  const vocab: Record<MachineName, readonly string[]> = {
    order: ORDER_STATUSES,
    delivery: DELIVERY_STATUSES,
    drone: DRONE_STATUSES,
    cell: CELL_STATUSES,
  };

  it('every edge joins statuses of its vocabulary, and every status is on an edge', () => {
    for (const [name, edges] of Object.entries(MACHINES) as [MachineName, (typeof MACHINES)[MachineName]][]) {
      for (const e of edges) {
        if (e.from !== null) expect(vocab[name]).toContain(e.from);
        expect(vocab[name]).toContain(e.to);
      }
      const touched = new Set<string | null>(edges.flatMap((e) => [e.from, e.to]));
      for (const s of vocab[name]) expect(touched.has(s), `${name} ${s}`).toBe(true);
    }
  });

  it('allows the lifecycle and refuses its shortcuts and reversals', () => {
    expect(canTransition('order', 'pending', 'processing')).toBe(true);
    expect(canTransition('order', 'cancelled', 'pending')).toBe(true);
    expect(canTransition('order', 'pending', 'delivered')).toBe(false);
    expect(canTransition('order', 'completed', 'cancelled')).toBe(false);
    expect(canTransition('order', 'delivered', 'cancelled')).toBe(false);
    expect(canTransition('delivery', 'assigned', 'delivered')).toBe(false);
    expect(canTransition('delivery', 'failed', 'assigned')).toBe(false);
    expect(canTransition('drone', 'maintenance', 'busy')).toBe(false);
    expect(canTransition('cell', 'occupied', 'reserved')).toBe(false);
    expect(canTransition('cell', 'maintenance', 'maintenance')).toBe(true);
    expect(sourcesOf('drone', 'offline').sort()).toEqual(['busy', 'charging', 'idle', 'offline']);
  });

  it('assertTransition answers invalid_transition (409) with both statuses', () => {
    expect(() => assertTransition('order', 'completed', 'pending')).toThrow(
      expect.objectContaining({
        code: 'invalid_transition',
        status: 409,
        message: expect.stringMatching(/completed.*pending/),
      }),
    );
    expect(() => assertTransition('order', 'delivered', 'completed')).not.toThrow();
  });

  it('the docs carry the diagrams the tables draw (npm run docs)', () => {
    for (const doc of GENERATED_DOCS) {
      const text = readFileSync(path.join(ROOT, doc.file), 'utf8');
      expect(readBlock(text, doc.block), `${doc.file} is stale: run npm run docs`).toBe(doc.content());
    }
  });
});

describe('state machine: the writers against the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function pendingOrder() {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db);
    const automat = await makeAutomat(t.db);
    return createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      {
        actor: { type: 'customer', id: user.id },
        opts: {
          maxOpenOrders: 100,
        },
      },
    );
  }

  it('refuses an edge the machine lacks and leaves the row as it was', async () => {
    const order = await pendingOrder();
    const err = await rejection(t.db.transaction((tx) => moveOrder(tx, { order, to: 'delivered', now: new Date() })));
    expect(err).toMatchObject({ code: 'invalid_transition', status: 409 });
    const [row] = await t.db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
    expect(row!.status).toBe('pending');
  });

  it('writes only a row still in the status it was read in', async () => {
    const order = await pendingOrder();
    // Read as pending, then changed behind the caller's back: the write finds no pending row.
    await t.sql`update orders set status = 'processing' where id = ${order.id}`;
    await expect(t.db.transaction((tx) => moveOrder(tx, { order, to: 'cancelled', now: new Date() }))).rejects.toThrow(
      /still pending/,
    );
    const [row] = await t.db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
    expect(row!.status).toBe('processing');
  });

  it('a cell or a drone in another status is left alone, and the write says so', async () => {
    const order = await pendingOrder();
    // The order's pickup cell is reserved: reserving it again finds no available cell.
    const again = await t.db.transaction((tx) =>
      moveCell(tx, { kind: 'external', id: order.lockerCellId!, from: ['available'], to: 'reserved' }),
    );
    expect(again).toBeUndefined();
    const [drone] = await t.db
      .insert(drones)
      .values({ model: 'Test', ipAddress: '10.0.0.9', callSign: 'T-SM1', status: 'maintenance' })
      .returning();
    // Only an operator ends maintenance: a drop's "busy to idle" does not touch it.
    const moved = await t.db.transaction((tx) =>
      moveDrone(tx, { id: drone!.id, from: ['busy'], to: 'idle', now: new Date() }),
    );
    expect(moved).toBe(false);
    const [row] = await t.db.select({ status: drones.status }).from(drones).where(eq(drones.id, drone!.id));
    expect(row!.status).toBe('maintenance');
  });

  it('a timeline row must name the edge it records', async () => {
    const order = await pendingOrder();
    const write = (event: 'requeued' | 'cancelled') =>
      t.db.transaction((tx) =>
        recordEvent(tx, {
          orderId: order.id,
          entity: 'order',
          event,
          fromStatus: 'pending',
          toStatus: 'cancelled',
          actor: { type: 'system' },
        }),
      );
    await expect(write('requeued')).rejects.toThrow(/no 'requeued' edge pending → cancelled/);
    await expect(write('cancelled')).resolves.toBeUndefined();
  });
});
