/**
 * The one cell metric, used wherever the portal or the site shows how full a locker is
 * (overview, locker pages, analytics, the home page, the live map).
 *
 * - Which cells: the pickup cells (outside, where customers collect) unless a figure says it
 *   is about drop cells (inside), which follow the same rule.
 * - In service: every cell that is not under maintenance. Cells under maintenance are not
 *   capacity: they are counted apart and never in "free" or "in use".
 * - Free: available, so an order can book it now (not reserved, not holding a parcel).
 * - In use: reserved for an order or holding a parcel, i.e. in service minus free.
 *
 * It reads "9 free of 10" (of the cells in service); the share is free / in service.
 */
export type CellTally = { total: number; available: number; maintenance: number };

export type CellMetric = {
  total: number;
  maintenance: number;
  inService: number;
  free: number;
  inUse: number;
  /** free / in service; null when no cell is in service. */
  freeShare: number | null;
};

export function cellMetric({ total, available, maintenance }: CellTally): CellMetric {
  const inService = Math.max(0, total - maintenance);
  const free = Math.min(Math.max(0, available), inService);
  return {
    total,
    maintenance,
    inService,
    free,
    inUse: inService - free,
    freeShare: inService > 0 ? free / inService : null,
  };
}

/** The metric of a locker's pickup cells, from its summary row. */
export function pickupCellMetric(a: {
  externalCells: number;
  availableExternalCells: number;
  maintenanceExternalCells: number;
}): CellMetric {
  return cellMetric({
    total: a.externalCells,
    available: a.availableExternalCells,
    maintenance: a.maintenanceExternalCells,
  });
}

/** Adds tallies up (a network's total). */
export function sumCellTallies(tallies: CellTally[]): CellTally {
  return tallies.reduce(
    (s, t) => ({
      total: s.total + t.total,
      available: s.available + t.available,
      maintenance: s.maintenance + t.maintenance,
    }),
    { total: 0, available: 0, maintenance: 0 },
  );
}

/** "9 free of 10", "9 free of 10, 1 under maintenance", "all 2 under maintenance", "no cells". */
export function cellMetricText(m: CellMetric): string {
  if (m.total === 0) return 'no cells';
  if (m.inService === 0)
    return m.maintenance === 1 ? 'its only cell is under maintenance' : `all ${m.maintenance} under maintenance`;
  return `${m.free} free of ${m.inService}${m.maintenance > 0 ? `, ${m.maintenance} under maintenance` : ''}`;
}
