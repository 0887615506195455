import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { lockerCellsInternal, lockerCellsOut } from '@/db/schema';
import { moveCell } from '@/lib/lifecycle/writes';
import { fitsInCellSql, type Box } from '@/db/fit';

// Cell reservation, one home for both kinds of cell: pick with FOR UPDATE SKIP LOCKED, then
// the spec's optimistic `UPDATE ... WHERE status = 'available' RETURNING` (lib/lifecycle/writes.ts).

/** The smallest free pickup cell at the automat that the good fits in, now reserved. */
export async function reserveExternalCell(
  tx: Tx,
  automatId: string,
  good: Box,
): Promise<{ id: string; cellNumber: number | null } | undefined> {
  const [candidate] = await tx
    .select({ id: lockerCellsOut.id, cellNumber: lockerCellsOut.cellNumber })
    .from(lockerCellsOut)
    .where(
      and(
        eq(lockerCellsOut.postId, automatId),
        eq(lockerCellsOut.status, 'available'),
        fitsInCellSql(good, lockerCellsOut),
      ),
    )
    .orderBy(
      sql`${lockerCellsOut.height} * ${lockerCellsOut.length} * ${lockerCellsOut.width}`,
      lockerCellsOut.cellNumber,
    )
    .limit(1)
    .for('update', { skipLocked: true });
  if (!candidate) return undefined;
  return moveCell(tx, { kind: 'external', id: candidate.id, from: ['available'], to: 'reserved' });
}

/** A free internal (drop) cell at the automat, lowest number first as in the spec, now reserved. */
export async function reserveInternalCell(
  tx: Tx,
  automatId: string,
): Promise<{ id: string; cellNumber: number | null } | undefined> {
  const [candidate] = await tx
    .select({ id: lockerCellsInternal.id })
    .from(lockerCellsInternal)
    .where(and(eq(lockerCellsInternal.postId, automatId), eq(lockerCellsInternal.status, 'available')))
    .orderBy(lockerCellsInternal.cellNumber)
    .limit(1)
    .for('update', { skipLocked: true });
  if (!candidate) return undefined;
  return moveCell(tx, { kind: 'internal', id: candidate.id, from: ['available'], to: 'reserved' });
}
