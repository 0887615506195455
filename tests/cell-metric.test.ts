import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellUtilization } from '@/db/queries/analytics';
import { listAutomatSummaries } from '@/db/queries/network';
import { cellMetric, cellMetricText, pickupCellMetric, sumCellTallies } from '@/lib/cell-metric';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat } from './helpers/factories';

// One cell metric everywhere: free pickup cells of those in service. The overview and locker
// pages read it from the locker summaries, analytics from its per-state counts: the same
// locker must give the same figure both ways.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('cellMetric', () => {
  it('free = available; in service = all but maintenance; in use = in service − free', () => {
    expect(cellMetric({ total: 10, available: 9, maintenance: 0 })).toEqual({
      total: 10,
      maintenance: 0,
      inService: 10,
      free: 9,
      inUse: 1,
      freeShare: 0.9,
    });
    expect(cellMetric({ total: 10, available: 6, maintenance: 2 })).toEqual({
      total: 10,
      maintenance: 2,
      inService: 8,
      free: 6,
      inUse: 2,
      freeShare: 0.75,
    });
  });

  it('no cells, or every cell under maintenance: no share, and words that say so', () => {
    expect(cellMetric({ total: 0, available: 0, maintenance: 0 }).freeShare).toBeNull();
    expect(cellMetricText(cellMetric({ total: 0, available: 0, maintenance: 0 }))).toBe('no cells');
    expect(cellMetric({ total: 3, available: 0, maintenance: 3 })).toMatchObject({
      inService: 0,
      free: 0,
      inUse: 0,
      freeShare: null,
    });
    expect(cellMetricText(cellMetric({ total: 3, available: 0, maintenance: 3 }))).toBe('all 3 under maintenance');
    expect(cellMetricText(cellMetric({ total: 1, available: 0, maintenance: 1 }))).toBe(
      'its only cell is under maintenance',
    );
  });

  it('reads "9 free of 10" and names cells under maintenance apart', () => {
    expect(cellMetricText(cellMetric({ total: 10, available: 9, maintenance: 0 }))).toBe('9 free of 10');
    expect(cellMetricText(cellMetric({ total: 11, available: 9, maintenance: 1 }))).toBe(
      '9 free of 10, 1 under maintenance',
    );
  });

  it('never reports more free cells than in service, or negative ones, from inconsistent counts', () => {
    expect(cellMetric({ total: 2, available: 5, maintenance: 1 })).toMatchObject({ inService: 1, free: 1, inUse: 0 });
    expect(cellMetric({ total: 2, available: -1, maintenance: 0 })).toMatchObject({ free: 0, inUse: 2 });
  });

  it('sums tallies', () => {
    expect(
      sumCellTallies([
        { total: 2, available: 1, maintenance: 0 },
        { total: 3, available: 1, maintenance: 1 },
      ]),
    ).toEqual({ total: 5, available: 2, maintenance: 1 });
  });
});

describe('the same locker, the same figure', () => {
  it('summary (overview, locker pages, home, map) = analytics with reserved, occupied, maintenance cells', async () => {
    const a = await makeAutomat(t.db, { external: [{ count: 10 }], internal: [{ count: 2 }] });
    await t.sql`update locker_cells_out set status = 'occupied' where post_id = ${a.id} and cell_number = 1`;
    await t.sql`update locker_cells_out set status = 'reserved' where post_id = ${a.id} and cell_number = 2`;
    await t.sql`update locker_cells_out set status = 'maintenance' where post_id = ${a.id} and cell_number = 3`;
    const summary = (await listAutomatSummaries(t.db)).find((s) => s.id === a.id)!;
    const analytics = (await cellUtilization(t.db)).automats.find((s) => s.automatId === a.id)!;
    const fromSummary = pickupCellMetric(summary);
    expect(fromSummary).toEqual({ total: 10, maintenance: 1, inService: 9, free: 7, inUse: 2, freeShare: 7 / 9 });
    expect(cellMetric(analytics.external)).toEqual(fromSummary);
    expect(cellMetricText(fromSummary)).toBe('7 free of 9, 1 under maintenance');
  });
});
