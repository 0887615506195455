import type { AutomatChoice, CatalogEntry } from '@/db/queries/availability';

// Whether a customer may order a good, and pick a locker for it: rules over the counts that
// db/queries/availability.ts reads (the catalog and the order page ask them; the server checks
// the same conditions again when it takes the order).

export type ChoiceState =
  { selectable: true } | { selectable: false; code: 'closed' | 'too_small' | 'full'; reason: string };

export function choiceState(a: Pick<AutomatChoice, 'isWorking' | 'fittingCells' | 'freeFittingCells'>): ChoiceState {
  if (!a.isWorking) return { selectable: false, code: 'closed', reason: 'Temporarily closed' };
  if (a.fittingCells === 0)
    return { selectable: false, code: 'too_small', reason: 'Cells here are too small for this item' };
  if (a.freeFittingCells === 0)
    return { selectable: false, code: 'full', reason: 'No free cell for this size right now' };
  return { selectable: true };
}

export type Orderability =
  | { orderable: true }
  | { orderable: false; code: 'archived' | 'out_of_stock' | 'too_large' | 'lockers_full'; reason: string };

export function orderability(
  g: Pick<CatalogEntry, 'quantityAvailable' | 'orderableAt' | 'fitsAt'> & { archivedAt?: Date | null },
): Orderability {
  if (g.archivedAt) return { orderable: false, code: 'archived', reason: 'No longer sold' };
  if (g.quantityAvailable <= 0) return { orderable: false, code: 'out_of_stock', reason: 'Out of stock' };
  if (g.fitsAt === 0) return { orderable: false, code: 'too_large', reason: 'Too large for our parcel lockers' };
  if (g.orderableAt === 0)
    return { orderable: false, code: 'lockers_full', reason: 'Every locker it fits in is full right now' };
  return { orderable: true };
}
