import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

/** The channel the order worker LISTENs on. */
export const DISPATCH_CHANNEL = 'skypost_dispatch';

/**
 * Wakes the order workers when the transaction commits (NOTIFY is transactional: a rolled
 * back change wakes nobody). Reasons: an order was created or requeued, a drone became idle,
 * a drop cell was freed.
 */
export async function notifyDispatch(
  tx: Tx,
  reason: 'order_created' | 'order_requeued' | 'drone_idle' | 'cell_freed',
): Promise<void> {
  await tx.execute(sql`select pg_notify(${DISPATCH_CHANNEL}, ${reason})`);
}
