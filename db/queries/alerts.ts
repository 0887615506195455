import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';

export type AlertThresholds = { lowBattery: number; stuckDeliveryMin: number; pendingOrderMin: number; automatSilentMin: number };

export type Alert = {
  kind: 'low_battery' | 'drone_offline' | 'delivery_stuck' | 'automat_not_working' | 'automat_silent' | 'order_pending';
  severity: 'warning' | 'critical';
  objectType: 'drone' | 'automat' | 'order';
  objectId: string;
  title: string;
  detail: string;
  since: string | null;
};

/** Every current alert, derived from the data (nothing is stored), most severe first. */
export async function listAlerts(db: DbOrTx, t: AlertThresholds): Promise<Alert[]> {
  const rows = await db.execute<{ kind: Alert['kind']; object_id: string; label: string; value: string | null; since: string | null }>(sql`
    select 'low_battery' as kind, id as object_id, model || ' ' || ip_address as label, battery_level::text as value, updated_at as since
      from drones where battery_level <= ${t.lowBattery} and status not in ('offline', 'maintenance')
    union all
    select 'drone_offline', id, model || ' ' || ip_address, null, last_seen_at from drones where status = 'offline'
    union all
    select 'delivery_stuck', o.id, g.name || ' to ' || a.address, d.status, d.updated_at
      from deliveries d join orders o on o.id = d.order_id join goods g on g.id = o.good_id join parcel_automats a on a.id = d.parcel_automat_id
      where d.status in ('assigned', 'in_progress') and d.updated_at < now() - make_interval(mins => ${t.stuckDeliveryMin})
    union all
    select 'automat_not_working', id, address || ', ' || city, null, last_seen_at from parcel_automats where not is_working
    union all
    select 'automat_silent', id, address || ', ' || city, null, last_seen_at from parcel_automats
      where is_working and (last_seen_at is null or last_seen_at < now() - make_interval(mins => ${t.automatSilentMin}))
    union all
    select 'order_pending', o.id, g.name || ' to ' || a.address, null, o.created_at
      from orders o join goods g on g.id = o.good_id join parcel_automats a on a.id = o.parcel_automat_id
      where o.status = 'pending' and o.created_at < now() - make_interval(mins => ${t.pendingOrderMin})
    order by 1, 5 nulls first`);
  const critical = new Set(['drone_offline', 'delivery_stuck', 'automat_not_working']);
  const describe = (r: (typeof rows)[number]): Pick<Alert, 'title' | 'detail' | 'objectType'> => {
    switch (r.kind) {
      case 'low_battery':
        return { objectType: 'drone', title: `Low battery: ${r.label}`, detail: `${Math.round(Number(r.value))}% (alert at ${t.lowBattery}% or less)` };
      case 'drone_offline':
        return { objectType: 'drone', title: `Drone offline: ${r.label}`, detail: r.since ? 'No telemetry since the time shown.' : 'Has never reported.' };
      case 'delivery_stuck':
        return { objectType: 'order', title: `Delivery stuck: ${r.label}`, detail: `${String(r.value).replace('_', ' ')} for over ${t.stuckDeliveryMin} min` };
      case 'automat_not_working':
        return { objectType: 'automat', title: `Locker not working: ${r.label}`, detail: 'Marked as not working; it takes no new orders.' };
      case 'automat_silent':
        return { objectType: 'automat', title: `Locker silent: ${r.label}`, detail: r.since ? `No heartbeat for over ${t.automatSilentMin} min.` : 'Has never sent a heartbeat.' };
      case 'order_pending':
        return { objectType: 'order', title: `Order waiting: ${r.label}`, detail: `Pending for over ${t.pendingOrderMin} min without a drone.` };
    }
  };
  return rows
    .map((r) => ({ kind: r.kind, severity: critical.has(r.kind) ? ('critical' as const) : ('warning' as const), objectId: r.object_id, since: r.since ? new Date(r.since).toISOString() : null, ...describe(r) }))
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
}
