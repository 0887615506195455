import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { notifyOrderCustomer } from './outbox';

export const FIRST_REMINDER_AFTER_MS = 24 * 60 * 60 * 1000;
export const CODE_EXPIRY_WARNING_MS = 2 * 60 * 60 * 1000;

/**
 * Parcels waiting in a locker get at most two reminders:
 * - one once the parcel has waited 24 h (since its 'in_locker' event);
 * - after that, one more when the customer's current pickup code expires within 2 h (codes
 *   last 24 h from when the customer opens their pickup page; a customer who never opened it
 *   has no code to expire, and the first reminder already told them to).
 * Each is keyed per order in the outbox (ON CONFLICT DO NOTHING), so several workers running
 * this at once, or a rerun, never remind twice. Candidates are found in SQL.
 */
export async function queuePickupReminders(
  db: Db,
  { now = new Date(), limit = 200 }: { now?: Date; limit?: number } = {},
): Promise<{ reminders: number; codeWarnings: number }> {
  const waitingSince = new Date(now.getTime() - FIRST_REMINDER_AFTER_MS);
  const expiringBy = new Date(now.getTime() + CODE_EXPIRY_WARNING_MS);
  const first = await db.execute<{ id: string; cell_number: number | null; waiting_days: number }>(sql`
    select o.id, c.cell_number, w.waiting_days
    from orders o
    left join locker_cells_out c on c.id = o.locker_cell_id
    cross join lateral (
      select (select max(e.created_at) from delivery_events e
               where e.order_id = o.id and e.event = 'in_locker') as in_locker_at
    ) l
    cross join lateral (
      select greatest(1, floor(extract(epoch from (${now.toISOString()}::timestamptz - l.in_locker_at)) / 86400))::int
             as waiting_days
    ) w
    where o.status = 'delivered'
      and l.in_locker_at <= ${waitingSince.toISOString()}::timestamptz
      and not exists (select 1 from notifications n where n.dedupe_key = 'pickup_reminder:' || o.id)
    order by o.id
    limit ${limit}`);
  const second = await db.execute<{ id: string; cell_number: number | null; expires_at: string }>(sql`
    select o.id, c.cell_number, u.qr_expires_at as expires_at
    from orders o
    join users u on u.id = o.user_id
    left join locker_cells_out c on c.id = o.locker_cell_id
    where o.status = 'delivered'
      and u.qr_expires_at > ${now.toISOString()}::timestamptz
      and u.qr_expires_at <= ${expiringBy.toISOString()}::timestamptz
      and exists (select 1 from notifications n where n.dedupe_key = 'pickup_reminder:' || o.id)
      and not exists (select 1 from notifications n where n.dedupe_key = 'pickup_code_expiring:' || o.id)
    order by o.id
    limit ${limit}`);
  if (first.length === 0 && second.length === 0) return { reminders: 0, codeWarnings: 0 };
  return db.transaction(async (tx) => {
    // Still waiting? FOR SHARE waits for a pickup in progress (it locks the order FOR NO KEY
    // UPDATE), so a parcel collected meanwhile is never reminded about. All at once, in
    // ascending id (the lock order of lib/orders/locks.ts), so two sweeps never deadlock.
    const ids = [...new Set([...first, ...second].map((o) => o.id))].sort();
    const waiting = new Set(
      (
        await tx.execute<{ id: string }>(
          sql`select id from orders where id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) and status = 'delivered' order by id for share`,
        )
      ).map((r) => r.id),
    );
    let reminders = 0;
    let codeWarnings = 0;
    for (const o of first)
      if (
        waiting.has(o.id) &&
        (await notifyOrderCustomer(tx, {
          orderId: o.id,
          kind: 'pickup_reminder',
          opts: {
            cellNumber: o.cell_number,
            waitingDays: o.waiting_days,
          },
        }))
      )
        reminders++;
    for (const o of second)
      if (
        waiting.has(o.id) &&
        (await notifyOrderCustomer(tx, {
          orderId: o.id,
          kind: 'pickup_code_expiring',
          opts: {
            cellNumber: o.cell_number,
            codeExpiresAt: new Date(o.expires_at),
          },
        }))
      )
        codeWarnings++;
    return { reminders, codeWarnings };
  });
}
