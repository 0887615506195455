import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { alertAcknowledgements, DRONE_HELD_DELIVERY_STATUSES, sqlList, type AlertKind } from '../schema';

export type AlertThresholds = {
  lowBattery: number;
  stuckDeliveryMin: number;
  pendingOrderMin: number;
  automatSilentMin: number;
};

export type AlertAcknowledgement = { by: string; at: string; note: string };

export type Alert = {
  kind: AlertKind;
  severity: 'warning' | 'critical';
  objectType: 'drone' | 'automat' | 'order';
  objectId: string;
  title: string;
  detail: string;
  /**
   * What the alert is about, as a name (a drone's call sign, a locker's address, "good → locker"): pages word the
   * alert from kind, label and value in their language.
   */
  label: string;
  /** The figure behind it: a low battery's level, a stuck delivery's status; null for the other kinds. */
  value: string | null;
  since: string | null;
  /**
   * When the condition began, as far as the data tells (null: not known). An acknowledgement
   * covers the alert only when it was made at or after this moment.
   */
  onset: string | null;
  /** The latest acknowledgement of this occurrence of the alert, or null while it is open. */
  acknowledgement: AlertAcknowledgement | null;
};

const CRITICAL: ReadonlySet<AlertKind> = new Set(['drone_offline', 'delivery_stuck']);

type Row = {
  kind: AlertKind;
  object_id: string;
  label: string;
  value: string | null;
  since: string | null;
  onset: string | null;
  ack_note: string | null;
  ack_at: string | null;
  ack_by: string | null;
};

/**
 * Every current alert, derived from the data, critical first, with its acknowledgement.
 *
 * The onset of each kind, which decides whether an acknowledgement still holds:
 * - low battery: the last reading above the threshold (charging ends the occurrence);
 * - drone offline, locker silent: the last time the device was heard from;
 * - delivery stuck: the delivery's last status change;
 * - order waiting: the order's last status change (a requeued order is a new occurrence).
 * A locker that is closed (not working) is not an alert: see listClosedAutomats.
 */
export async function listAlerts(db: DbOrTx, t: AlertThresholds): Promise<Alert[]> {
  const rows = await db.execute<Row>(sql`
    with current_alerts as (
      select 'low_battery' as kind, d.id as object_id, d.call_sign || ' (' || d.model || ')' as label,
             d.battery_level::text as value, fine.at as since, fine.at as onset
        from drones d
        left join lateral (
          select max(tl.recorded_at) as at from drone_telemetry tl
           where tl.drone_id = d.id and tl.battery_level > ${t.lowBattery}
        ) fine on true
        where d.battery_level <= ${t.lowBattery} and d.status not in ('offline', 'maintenance')
      union all
      select 'drone_offline', id, call_sign || ' (' || model || ')', null, last_seen_at, last_seen_at
        from drones where status = 'offline'
      union all
      select 'delivery_stuck', o.id, g.name || ' → ' || a.address, d.status, d.updated_at, d.updated_at
        from deliveries d join orders o on o.id = d.order_id join goods g on g.id = o.good_id
        join parcel_automats a on a.id = d.parcel_automat_id
        where d.status in (${sqlList(DRONE_HELD_DELIVERY_STATUSES)})
          and d.updated_at < now() - make_interval(mins => ${t.stuckDeliveryMin})
      union all
      select 'automat_silent', id, address || ', ' || city, null, last_seen_at, last_seen_at from parcel_automats
        where is_working and archived_at is null
          and (last_seen_at is null or last_seen_at < now() - make_interval(mins => ${t.automatSilentMin}))
      union all
      select 'order_pending', o.id, g.name || ' → ' || a.address, null, o.created_at, o.updated_at
        from orders o join goods g on g.id = o.good_id join parcel_automats a on a.id = o.parcel_automat_id
        where o.status = 'pending' and o.created_at < now() - make_interval(mins => ${t.pendingOrderMin})
    )
    select c.kind, c.object_id, c.label, c.value, c.since, c.onset,
           ack.note as ack_note, ack.acknowledged_at as ack_at, ack.by as ack_by
      from current_alerts c
      left join lateral (
        select k.note, k.acknowledged_at,
               coalesce(u.full_name || ' (' || coalesce(u.email, u.phone_number) || ')', 'a former administrator') as by
          from alert_acknowledgements k left join users u on u.id = k.acknowledged_by
         where k.kind = c.kind and k.object_id = c.object_id and (c.onset is null or k.acknowledged_at >= c.onset)
         order by k.acknowledged_at desc
         limit 1
      ) ack on true
     order by 1, 5 nulls first`);
  const describe = (r: Row): Pick<Alert, 'title' | 'detail' | 'objectType'> => {
    switch (r.kind) {
      case 'low_battery':
        return {
          objectType: 'drone',
          title: `Low battery: ${r.label}`,
          detail: `${Math.round(Number(r.value))}% (alert at ${t.lowBattery}% or less)`,
        };
      case 'drone_offline':
        return {
          objectType: 'drone',
          title: `Drone offline: ${r.label}`,
          detail: r.since ? 'No telemetry since the time shown.' : 'Has never reported.',
        };
      case 'delivery_stuck':
        return {
          objectType: 'order',
          title: `Delivery stuck: ${r.label}`,
          detail:
            r.value === 'assigned'
              ? `Assigned to a drone but not started for over ${t.stuckDeliveryMin} min.`
              : `In flight for over ${t.stuckDeliveryMin} min.`,
        };
      case 'automat_silent':
        return {
          objectType: 'automat',
          title: `Locker silent: ${r.label}`,
          detail: r.since ? `No heartbeat for over ${t.automatSilentMin} min.` : 'Has never sent a heartbeat.',
        };
      case 'order_pending':
        return {
          objectType: 'order',
          title: `Order waiting: ${r.label}`,
          detail: `Pending for over ${t.pendingOrderMin} min without a drone.`,
        };
    }
  };
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  return rows
    .map((r) => ({
      kind: r.kind,
      severity: CRITICAL.has(r.kind) ? ('critical' as const) : ('warning' as const),
      objectId: r.object_id,
      label: r.label,
      value: r.value,
      since: iso(r.since),
      onset: iso(r.onset),
      acknowledgement: r.ack_at
        ? { by: r.ack_by ?? 'a former administrator', at: new Date(r.ack_at).toISOString(), note: r.ack_note ?? '' }
        : null,
      ...describe(r),
    }))
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
}

export type ClosedAutomat = { id: string; city: string; address: string; lastSeenAt: string | null };

/**
 * Lockers that are closed: not working, set by an operator or reported by the locker's own
 * heartbeat (archived lockers are out of service for good and not listed). A state, not an alert: they take no new
 * orders, and nothing needs acknowledging.
 */
export async function listClosedAutomats(db: DbOrTx): Promise<ClosedAutomat[]> {
  const rows = await db.execute<{ id: string; city: string; address: string; last_seen_at: string | null }>(sql`
    select id, city, address, last_seen_at from parcel_automats
     where not is_working and archived_at is null order by city, address, id`);
  return rows.map((r) => ({
    id: r.id,
    city: r.city,
    address: r.address,
    lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
  }));
}

export async function insertAlertAcknowledgement(
  db: DbOrTx,
  a: { kind: AlertKind; objectId: string; conditionSince: string | null; note: string; userId: string },
): Promise<{ id: string; acknowledgedAt: Date }> {
  const [row] = await db
    .insert(alertAcknowledgements)
    .values({
      kind: a.kind,
      objectId: a.objectId,
      conditionSince: a.conditionSince ? new Date(a.conditionSince) : null,
      note: a.note,
      acknowledgedBy: a.userId,
    })
    .returning({ id: alertAcknowledgements.id, acknowledgedAt: alertAcknowledgements.acknowledgedAt });
  if (!row) throw new Error('Acknowledgement insert returned nothing');
  return row;
}
